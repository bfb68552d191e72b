package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module README's option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedGatewayOptionTable() throws Exception {
        assertThat(SourceChecks.read(Path.of("README.md"))).as("regenerate with bin/stardust gateway --print-config-reference")
                .contains(SourceChecks.documentedTable(GatewayConfig.definition()));
    }
}
