package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module README's option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedMirrorOptionTable() throws Exception {
        assertThat(SourceChecks.read(Path.of("README.md"))).as("regenerate with bin/stardust registry-mirror --print-config-reference")
                .contains(SourceChecks.documentedTable(RegistryMirrorConfig.definition()));
    }
}
