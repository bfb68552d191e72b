package io.stardust.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DaemonConfigTest {

    @Test
    void defaults() {
        DaemonConfig c = DaemonConfig.defaults();
        assertThat(c.pidFileDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "stardust"));
        assertThat(c.idleBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.dbRetryInitialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.dbRetryMaxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void environmentNamesAreDerivedFromTheKeys() {
        assertThat(DaemonConfig.OPTIONS).extracting(o -> o.envName()).containsExactly("STARDUST_PID_FILE_DIR",
                "STARDUST_DAEMON_IDLE_BACKOFF", "STARDUST_DAEMON_DB_RETRY_INITIAL_DELAY",
                "STARDUST_DAEMON_DB_RETRY_MAX_DELAY", "STARDUST_DAEMON_SHUTDOWN_TIMEOUT", "STARDUST_DAEMON_METRICS_PORT",
                "STARDUST_DAEMON_METRICS_BIND_ADDRESS");
    }

    @Test
    void resolvesFromTheEnvironmentAndAFile() {
        Properties file = new Properties();
        file.setProperty("daemonIdleBackoff", "2s");
        DaemonConfig c = DaemonConfig.from(DaemonConfig.definition().resolve(file, Map.of(
                "STARDUST_PID_FILE_DIR", "/run/stardust",
                "STARDUST_DAEMON_DB_RETRY_MAX_DELAY", "1m")));

        assertThat(c.pidFileDir()).isEqualTo(Path.of("/run/stardust"));
        assertThat(c.idleBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.dbRetryMaxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.dbRetryBackoff().delay(10)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aZeroIdleBackoffIsRefusedBecauseIdleDaemonsMustSleep() {
        assertThatThrownBy(() -> DaemonConfig.definition().resolve(new Properties(),
                Map.of("STARDUST_DAEMON_IDLE_BACKOFF", "0ms")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("daemonIdleBackoff")
                .hasMessageContaining("must be positive");
    }

    @Test
    void theRetryCapCannotBeBelowTheFirstDelay() {
        assertThatThrownBy(() -> DaemonConfig.from(DaemonConfig.definition().resolve(new Properties(), Map.of(
                "STARDUST_DAEMON_DB_RETRY_INITIAL_DELAY", "10s", "STARDUST_DAEMON_DB_RETRY_MAX_DELAY", "5s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("daemonDbRetryMaxDelay");
    }

    @Test
    void theReferenceTableDocumentsEveryOption() {
        assertThat(DaemonConfig.definition().markdownTable()).contains("`pidFileDir`", "`STARDUST_DAEMON_IDLE_BACKOFF`",
                "`PT0.25S`");
    }
}
