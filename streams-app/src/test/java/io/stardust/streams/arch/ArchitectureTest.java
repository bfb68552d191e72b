package io.stardust.streams.arch;

import io.stardust.PackageCycles;
import org.junit.jupiter.api.Test;

/** The streams app's packages form no import cycle. */
class ArchitectureTest {
    @Test
    void noPackageOfTheStreamsAppDependsOnItselfThroughAnother() {
        PackageCycles.noCyclesAmongPackagesUnder("io.stardust.streams").check(PackageCycles.mainClasses("io.stardust.streams"));
    }
}
