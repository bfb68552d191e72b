package io.stardust.ingest.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.stardust.PackageCycles;
import org.junit.jupiter.api.Test;

/** The core stays transport-neutral and acyclic, so the Connect sink and the Streams app can reuse it whole. */
class ArchitectureTest {
    private static final String ROOT = "io.stardust.ingest";

    @Test
    void noPackageOfTheCoreDependsOnItselfThroughAnother() {
        PackageCycles.noCyclesAmongPackagesUnder(ROOT).check(PackageCycles.mainClasses(ROOT));
    }

    @Test
    void theCoreUsesNoKafkaClientCommandLineOrHttpServer() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "picocli..", "org.eclipse.jetty..", "com.sun.net.httpserver..")
                .because("the core is the transport-neutral apply; consumers, commands and endpoints live in its users")
                .check(PackageCycles.mainClasses(ROOT));
    }

    @Test
    void theCycleRuleFailsOnTwoPackagesThatImportEachOther() {
        assertThatThrownBy(() -> PackageCycles.noCyclesAmongPackagesUnder("fixture.cycle")
                .check(new ClassFileImporter().importPackages("fixture.cycle")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("fixture.cycle.a").hasMessageContaining("fixture.cycle.b");
    }
}
