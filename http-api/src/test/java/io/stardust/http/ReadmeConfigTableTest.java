package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module README's option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedHttpOptionTable() throws Exception {
        assertThat(SourceChecks.read(Path.of("README.md"))).as("regenerate with bin/stardust serve --print-config-reference")
                .contains(SourceChecks.documentedTable(HttpConfig.definition()));
    }
}
