package io.stardust.connect.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import io.stardust.PackageCycles;
import org.junit.jupiter.api.Test;

/** The connector is acyclic and a thin transport: it writes only through the ingest core's batch writer. */
class ArchitectureTest {
    private static final String ROOT = "io.stardust.connect";

    @Test
    void noPackageOfTheConnectorDependsOnItselfThroughAnother() {
        PackageCycles.noCyclesAmongPackagesUnder(ROOT).check(PackageCycles.mainClasses(ROOT));
    }

    @Test
    void theConnectorHasNoWritePathOfItsOwn() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.stardust.engine.write..", "io.stardust.engine.outbox..", "io.stardust.engine.lifecycle..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.stardust.ingest.dlq.IngestDlqStore")
                .because("entries, outbox events, DLQ rows and positions are written by ingest-core's BatchWriter only"
                        + " (the task constructs the DLQ store it hands to the writer, nothing else)")
                .allowEmptyShould(true)
                .check(PackageCycles.mainClasses(ROOT).that(com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName("StarDustSinkTask"))));
    }
}
