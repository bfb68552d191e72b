package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every long-running process kind, started as {@code bin/stardust ...}, stops on SIGTERM and on its flag file
 * {@code <pidFileDir>/<process>.shutdown} within its own shutdown timeout with exit 0, through the one process
 * runtime: each logs the runtime's {@code config_resolved} at start and its {@code stop_requested} (source
 * {@code process}) with the reason, and none is still running when its timeout has passed.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class ProcessStopCliTest {
    /** Each process's configured shutdown timeout; a stopped process must be gone within it. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    enum Stop { SIGTERM, FLAG_FILE }

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    private CliRunner cli(TestDatabase db) throws Exception {
        db.reset();
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_PID_FILE_DIR", tmp.resolve("run").toString());
        CliRunner.Result r = cli.run("bootstrap");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return cli;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"watcher, SIGTERM", "watcher, FLAG_FILE", "reconciler, SIGTERM", "reconciler, FLAG_FILE",
            "liberator, SIGTERM", "liberator, FLAG_FILE"})
    void everyDaemonStopsOnSigtermAndOnItsFlagFileWithinItsShutdownTimeout(String daemon, Stop how, TestDatabase db)
            throws Exception {
        CliRunner cli = cli(db).withEnv("STARDUST_DAEMON_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.toSeconds() + "s");

        stopsCleanly(cli, daemon, how, "\"daemon_started\"", "\"daemonShutdownTimeout\":\"PT10S\"");
    }

    @ParameterizedTest(name = "serve on {0}")
    @EnumSource(Stop.class)
    void serveStopsOnSigtermAndOnItsFlagFileWithinItsShutdownTimeout(Stop how, TestDatabase db) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CliRunner cli = cli(db).withEnv("STARDUST_HTTP_PORT", String.valueOf(port))
                .withEnv("STARDUST_HTTP_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.toSeconds() + "s");

        stopsCleanly(cli, "serve", how, "\"http_started\"", "\"httpShutdownTimeout\":\"PT10S\"");
    }

    @ParameterizedTest(name = "registry-mirror on {0}")
    @EnumSource(Stop.class)
    void theRegistryMirrorStopsOnSigtermAndOnItsFlagFileWithinItsShutdownTimeout(Stop how, TestDatabase db,
                                                                                EmbeddedKafka kafka) throws Exception {
        String topic = "stop-" + how.name().toLowerCase() + ".registry";
        CliRunner cli = cli(db).withEnv("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers())
                .withEnv("STARDUST_REGISTRY_MIRROR_TOPIC", topic)
                .withEnv("STARDUST_REGISTRY_MIRROR_OFFSETS_TOPIC", topic + ".offsets")
                .withEnv("STARDUST_REGISTRY_MIRROR_HISTORY_TOPIC", topic + ".history")
                .withEnv("STARDUST_REGISTRY_MIRROR_METRICS_PORT", "0")
                .withEnv("STARDUST_REGISTRY_MIRROR_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.toSeconds() + "s");

        stopsCleanly(cli, "registry-mirror", how, "\"mirror_started\"",
                "\"registryMirrorShutdownTimeout\":\"PT10S\"");
    }

    @ParameterizedTest(name = "gateway on {0}")
    @EnumSource(Stop.class)
    void theGatewayStopsOnSigtermAndOnItsFlagFileWithinItsShutdownTimeout(Stop how, TestDatabase db, EmbeddedKafka kafka)
            throws Exception {
        String prefix = "stop-" + how.name().toLowerCase();
        CliRunner cli = cli(db).withEnv("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers())
                .withEnv("STARDUST_GATEWAY_TOPIC", prefix + ".entries")
                .withEnv("STARDUST_GATEWAY_EVENTS_TOPIC", prefix + ".events")
                .withEnv("STARDUST_GATEWAY_GROUP_ID", prefix)
                .withEnv("STARDUST_GATEWAY_METRICS_PORT", "0")
                .withEnv("STARDUST_GATEWAY_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.toSeconds() + "s");

        stopsCleanly(cli, "gateway", how, "\"gateway_started\"", "\"gatewayShutdownTimeout\":\"PT10S\"");
    }

    private void stopsCleanly(CliRunner cli, String process, Stop how, String readyEvent, String timeoutInConfig)
            throws Exception {
        Path out = tmp.resolve(process + ".out");
        Path err = tmp.resolve(process + ".err");
        Process p = cli.startLogged(out, err, process);
        started.add(p);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .failFast(() -> !p.isAlive())
                .until(() -> read(err).contains(readyEvent));

        long stopAt = System.nanoTime();
        if (how == Stop.SIGTERM) {
            p.destroy();
        } else {
            Files.writeString(tmp.resolve("run").resolve(process + ".shutdown"), "");
        }
        boolean exited = p.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);

        String log = read(err);
        assertThat(exited).as("%s exited within its shutdown timeout after %s (took %d ms); stderr:%n%s",
                process, how, tookMs, log).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("\"event\":\"config_resolved\"").contains("\"process\":\"" + process + "\"")
                .contains(timeoutInConfig);
        assertThat(log.lines().filter(l -> l.contains("\"event\":\"stop_requested\"")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("\"source\":\"process\"")
                        .contains("\"reason\":\"" + (how == Stop.SIGTERM ? "signal" : "shutdown_flag") + "\""));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
