package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's engine option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedEngineOptionTable() throws Exception {
        assertThat(SourceChecks.read(Path.of("..", "README.md"))).as("regenerate with StarDustConfig.definition().markdownTable()")
                .contains(SourceChecks.documentedTable(StarDustConfig.definition()));
    }
}
