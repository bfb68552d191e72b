package io.stardust.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DatabaseException;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PoolsTest {

    @Test
    void aServerThatIsNotThereIsOneTypedErrorNamingTheUrlAndUserWithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String dsn = "jdbc:mysql://127.0.0.1:" + closedPort + "/app?password=hunter2&connectTimeout=2000";
        assertThatThrownBy(() -> StarDust.connect(StarDustConfig.of(dsn, "app", "secret")))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot connect to jdbc:mysql://127.0.0.1:" + closedPort + "/app?password=***")
                .hasMessageContaining("as 'app'")
                .hasMessageEndingWith(": Connection refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("\n"));
    }
}
