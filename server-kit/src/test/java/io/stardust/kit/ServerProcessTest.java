package io.stardust.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerProcessTest {

    @Test
    void relativeClasspathEntriesBecomeAbsoluteSoAChildRunningInItsOwnDirectoryFindsThem() {
        String cwd = Path.of("").toAbsolutePath().toString();
        String cp = String.join(File.pathSeparator, "bench/target/app.jar", "/opt/lib/kafka.jar", "", "lib/x.jar");

        assertThat(ServerProcess.absoluteClasspath(cp).split(File.pathSeparator)).containsExactly(
                cwd + "/bench/target/app.jar", "/opt/lib/kafka.jar", cwd + "/lib/x.jar");
    }
}
