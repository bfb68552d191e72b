package io.stardust.chronicler;

import io.stardust.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void theChroniclerHasNoPackageCycles() {
        PackageCycles.noCyclesAmongPackagesUnder("io.stardust.chronicler").check(PackageCycles.mainClasses("io.stardust.chronicler"));
    }
}
