package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stardust watcher|reconciler|liberator} as real processes: configuration from a properties file and
 * the environment, singletons, SIGTERM and the shutdown flag file.
 */
@ExtendWith(MySqlExtension.class)
class DaemonCliTest {
    /** One sleep slice (1 s) plus the JVM's own exit, with room for a loaded build machine. */
    private static final Duration STOP_BUDGET = Duration.ofSeconds(5);

    private final TestDatabase db;
    private final List<Process> started = new ArrayList<>();
    @TempDir
    Path tmp;
    private Path pidDir;

    DaemonCliTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void bootstrap() throws Exception {
        db.reset();
        pidDir = tmp.resolve("run");
        CliRunner.Result r = cli().run("bootstrap");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    private CliRunner cli() {
        return new CliRunner(db).withEnv("STARDUST_PID_FILE_DIR", tmp.resolve("run").toString());
    }

    private record Daemon(Process process, Path stdout, Path stderr) {
        String err() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        int awaitExit() throws Exception {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; stderr:%n%s", err()).isTrue();
            return process.exitValue();
        }

        void awaitStarted() {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .failFast(() -> !process.isAlive())
                    .until(() -> err().contains("\"daemon_started\""));
        }
    }

    private Daemon start(CliRunner runner, String name, String... args) throws IOException {
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        Process p = runner.startLogged(out, err, args);
        started.add(p);
        return new Daemon(p, out, err);
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theWatcherReadsItsConfigFileProvisionsAndASecondWatcherExitsTwo() throws Exception {
        Path config = tmp.resolve("watcher.properties");
        Files.writeString(config, "pidFileDir=" + tmp.resolve("from-file") + "\nwatcherPollIntervalSeconds=3600\n");
        CliRunner fileOnly = new CliRunner(db); // pidFileDir only from the file
        Daemon first = start(fileOnly, "watcher-1", "watcher", "--config", config.toString());
        first.awaitStarted();
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM stardust_pages") == 1);
        assertThat(tmp.resolve("from-file").resolve("watcher.pid")).exists();
        assertThat(first.err()).contains("\"provision_complete\"").contains("\"source\":\"watcher\"");

        Daemon second = start(fileOnly, "watcher-2", "watcher", "--config", config.toString());
        assertThat(second.awaitExit()).isEqualTo(2);
        assertThat(second.err()).contains("watcher.pid").contains("singleton_violation");
        assertThat(first.process().isAlive()).isTrue();

        long sent = System.nanoTime();
        first.process().destroy(); // SIGTERM in the middle of a one-hour poll interval
        assertThat(first.awaitExit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(STOP_BUDGET);
        assertThat(first.err()).contains("\"reason\":\"signal\"");
        assertThat(count("SELECT COUNT(*) FROM stardust_pages")).isEqualTo(1);
    }

    @Test
    void theEnvironmentWinsOverTheConfigFile() throws Exception {
        Path config = tmp.resolve("liberator.properties");
        Files.writeString(config, "pidFileDir=" + tmp.resolve("from-file") + "\nliberatorIdleIntervalSeconds=7\n");
        Daemon lib = start(cli().withEnv("STARDUST_LIBERATOR_IDLE_INTERVAL_SECONDS", "3"), "liberator-env",
                "liberator", "--config", config.toString());
        lib.awaitStarted();

        assertThat(lib.err()).contains("\"idle_interval_ms\":3000");
        Files.writeString(pidDir.resolve("liberator.shutdown"), ""); // STARDUST_PID_FILE_DIR won: its flag stops it
        assertThat(lib.awaitExit()).isZero();
    }

    @Test
    void liberatorsAreNotSingletonsAndTheFlagFileStopsEveryOneWithinASlice() throws Exception {
        Daemon first = start(cli(), "liberator-1", "liberator");
        Daemon second = start(cli(), "liberator-2", "liberator");
        first.awaitStarted();
        second.awaitStarted();
        assertThat(pidDir.resolve("liberator.pid")).as("no PID file").doesNotExist();

        long created = System.nanoTime();
        Files.writeString(pidDir.resolve("liberator.shutdown"), "");
        assertThat(first.awaitExit()).isZero();
        assertThat(second.awaitExit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(STOP_BUDGET);
        assertThat(first.err()).contains("\"reason\":\"shutdown_flag\"");
    }

    @Test
    void reconcilersAreNotSingletonsAndStopOnSigtermAndOnTheFlagFile() throws Exception {
        Daemon a = start(cli(), "reconciler-a", "reconciler");
        Daemon b = start(cli(), "reconciler-b", "reconciler");
        a.awaitStarted();
        b.awaitStarted();

        long sent = System.nanoTime();
        a.process().destroy();
        assertThat(a.awaitExit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(STOP_BUDGET);
        assertThat(b.process().isAlive()).isTrue();

        sent = System.nanoTime();
        Files.writeString(pidDir.resolve("reconciler.shutdown"), "");
        assertThat(b.awaitExit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(STOP_BUDGET);
    }

    @Test
    void aBadOptionValueExitsTwoWithTheKeyNamed() throws Exception {
        CliRunner.Result r = cli().withEnv("STARDUST_RECONCILER_CHUNK_SIZE", "0").run("reconciler");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("reconcilerChunkSize").contains("STARDUST_RECONCILER_CHUNK_SIZE");

        Path config = tmp.resolve("typo.properties");
        Files.writeString(config, "watcherPollIntervalSecs=5\n");
        CliRunner.Result typo = cli().run("watcher", "--config", config.toString());
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).contains("watcherPollIntervalSecs");
    }
}
