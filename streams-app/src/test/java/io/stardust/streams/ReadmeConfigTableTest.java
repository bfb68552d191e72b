package io.stardust.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module README's option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedStreamsAppOptionTable() throws Exception {
        assertThat(SourceChecks.read(Path.of("README.md"))).as("regenerate with bin/stardust streams --print-config-reference")
                .contains(SourceChecks.documentedTable(StreamsAppConfig.definition()));
    }
}
