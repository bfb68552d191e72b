package io.stardust.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import io.stardust.connect.config.ConfigReference;
import io.stardust.connect.config.SinkConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the ConfigDef's own rendering; this fails when they drift. */
class ReadmeConfigTableTest {
    @Test
    void readmeCarriesTheGeneratedConfigReference() throws Exception {
        String generated = ConfigReference.markdown(SinkConfig.DEF)
                .replace(Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(), "<java.io.tmpdir>/stardust");
        assertThat(SourceChecks.read(Path.of("README.md")))
                .as("regenerate: print ConfigReference.markdown(SinkConfig.DEF) into the README's reference section")
                .contains(generated);
    }
}
