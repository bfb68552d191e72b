package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module README's option table is the declarations' own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedGatewayOptionTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String table = GatewayConfig.definition().markdownTable()
                .replace(Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(), "<java.io.tmpdir>/stardust");
        assertThat(readme).as("regenerate with bin/stardust gateway --print-config-reference").contains(table);
    }
}
