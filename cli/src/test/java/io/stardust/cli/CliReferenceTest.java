package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/cli.md} is what the parser says: regenerated here and compared with the committed file. After a
 * change to a command, regenerate it with
 * {@code mvn -B -pl cli verify -Dit.test=CliReferenceTest -Dstardust.docs.update=true} and commit the result.
 */
class CliReferenceTest {
    private static final String UPDATE = "stardust.docs.update";

    @Test
    void theCommittedCommandReferenceIsWhatTheParserGenerates() throws IOException {
        Path file = CliRunner.repoRoot().resolve("docs/cli.md");
        String generated = CliReference.markdown(Main.commandLine());
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .as("docs/cli.md differs from the parser; regenerate it: mvn -B -pl cli verify -Dit.test=CliReferenceTest -D"
                        + UPDATE + "=true")
                .isEqualTo(generated);
    }
}
