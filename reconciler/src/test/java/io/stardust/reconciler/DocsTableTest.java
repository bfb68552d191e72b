package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import io.stardust.StarDustConfig;
import io.stardust.engine.lifecycle.BackfillSettings;
import io.stardust.daemon.DaemonConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/daemons.md carries the option tables generated from the declarations; this fails when they drift. */
class DocsTableTest {
    private static final Path DOC = Path.of("..", "docs", "daemons.md");


    @Test
    void theDocumentedOptionTablesMatchTheDeclarations() throws Exception {
        String doc = SourceChecks.read(DOC);

        assertThat(doc).as("regenerate with ReconcilerConfig.definition().markdownTable()").contains(SourceChecks.documentedTable(ReconcilerConfig.definition()));
        assertThat(doc).contains(SourceChecks.documentedTable(DaemonConfig.definition()));
        assertThat(doc).contains(SourceChecks.documentedTable(StarDustConfig.definition()));
        assertThat(doc).as("regenerate with BackfillSettings.definition().markdownTable()")
                .contains(SourceChecks.documentedTable(BackfillSettings.definition()));
    }
}
