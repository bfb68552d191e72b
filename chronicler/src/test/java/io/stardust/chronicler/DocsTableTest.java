package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/daemons.md carries the option table generated from the declarations; this fails when they drift. */
class DocsTableTest {
    @Test
    void theDocumentedOptionTableMatchesTheDeclarations() throws Exception {
        String doc = SourceChecks.read(Path.of("..", "docs", "daemons.md"));

        assertThat(doc).as("regenerate with ChroniclerConfig.definition().markdownTable()")
                .contains(SourceChecks.documentedTable(ChroniclerConfig.definition()));
    }
}
