package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's engine option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedEngineOptionTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String table = StarDustConfig.definition().markdownTable()
                .replace(Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(), "<java.io.tmpdir>/stardust");
        assertThat(readme).as("regenerate with StarDustConfig.definition().markdownTable()").contains(table);
    }
}
