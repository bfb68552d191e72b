package io.stardust.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.daemon.DaemonConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/daemons.md carries the option tables generated from the declarations; this fails when they drift. */
class DocsTableTest {
    private static final Path DOC = Path.of("..", "docs", "daemons.md");

    /** The table as documented: the JVM's temp directory written as {@code <java.io.tmpdir>}. */
    private static String table(ConfigDef def) {
        return def.markdownTable().replace(Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(),
                "<java.io.tmpdir>/stardust");
    }

    @Test
    void theDocumentedOptionTablesMatchTheDeclarations() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);

        assertThat(doc).as("regenerate with WatcherConfig.definition().markdownTable()").contains(table(WatcherConfig.definition()));
        assertThat(doc).contains(table(DaemonConfig.definition()));
        assertThat(doc).contains(table(StarDustConfig.definition()));
    }
}
