package io.stardust.gateway.arch;

import io.stardust.PackageCycles;
import org.junit.jupiter.api.Test;

/** The gateway's packages form no import cycle (the root package and cli included). */
class ArchitectureTest {
    @Test
    void noPackageOfTheGatewayDependsOnItselfThroughAnother() {
        PackageCycles.noCyclesAmongPackagesUnder("io.stardust.gateway").check(PackageCycles.mainClasses("io.stardust.gateway"));
    }
}
