package io.stardust.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: a child JVM runs {@link CountingDaemonMain} (this module's classpath) and receives a real
 * SIGTERM ({@link Process#destroy()}), a real flag file, or meets a real OS file lock.
 */
class DaemonProcessTest {

    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** A running child daemon and its marker directory (which also holds its stdout and stderr). */
    private record Child(Process process, Path markers) {
        boolean hasMarker(String name) {
            return Files.exists(markers.resolve(name));
        }

        long count(String suffix) {
            try (Stream<Path> files = Files.list(markers)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String stdout() {
            return read("stdout.log");
        }

        String stderr() {
            return read("stderr.log");
        }

        private String read(String name) {
            try {
                return Files.readString(markers.resolve(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("child exited in time; stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isTrue();
            return process.exitValue();
        }

        void awaitMarker(String name) {
            await().atMost(PROCESS_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .failFast("child died; stderr:\n" + stderr(), () -> !process.isAlive())
                    .until(() -> hasMarker(name));
        }
    }

    private Child start(String daemon, Path pidDir, long tickMillis, TickOutcome outcome, boolean singleton,
                        Map<String, String> env) throws IOException {
        Path markers = Files.createTempDirectory(tmp, daemon + "-");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dstardust.console.level=INFO",
                "-cp", System.getProperty("java.class.path"),
                CountingDaemonMain.class.getName(),
                daemon, markers.toString(), Long.toString(tickMillis), outcome.name(), Boolean.toString(singleton));
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().put("STARDUST_PID_FILE_DIR", pidDir.toString());
        pb.environment().putAll(env);
        pb.redirectOutput(markers.resolve("stdout.log").toFile());
        pb.redirectError(markers.resolve("stderr.log").toFile());
        Process p = pb.start();
        children.add(p);
        return new Child(p, markers);
    }

    @Test
    void sigtermLetsTheTickInProgressFinishThenExitsZero() throws Exception {
        Path pidDir = tmp.resolve("run");
        Child child = start("reconciler", pidDir, 1500, TickOutcome.WORK_DONE, false, Map.of());
        child.awaitMarker("tick-1.started");

        child.process().destroy(); // SIGTERM

        assertThat(child.awaitExit()).as("stderr: %s", child.stderr()).isZero();
        assertThat(child.hasMarker("tick-1.finished")).as("the tick in progress finished").isTrue();
        assertThat(child.count(".started")).as("every started tick finished").isEqualTo(child.count(".finished"));
        assertThat(child.stdout()).contains("daemon_started").contains("daemon_stopped").contains("reason=\"signal\"")
                .contains("exit_code=\"0\"");
    }

    @Test
    void theFlagFileStopsTheDaemonWithExitZero() throws Exception {
        Path pidDir = tmp.resolve("run");
        Child child = start("chronicler", pidDir, 0, TickOutcome.IDLE, false, Map.of());
        child.awaitMarker("tick-1.started");

        Files.writeString(pidDir.resolve("chronicler.shutdown"), "");

        assertThat(child.awaitExit()).as("stderr: %s", child.stderr()).isZero();
        assertThat(child.stdout()).contains("reason=\"shutdown_flag\"");
        assertThat(child.count(".started")).isEqualTo(child.count(".finished"));
    }

    @Test
    void aStaleFlagIsRemovedAndTheDaemonKeepsRunning() throws Exception {
        Path pidDir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(pidDir.resolve("liberator.shutdown"), "");
        Child child = start("liberator", pidDir, 0, TickOutcome.IDLE, true, Map.of());

        child.awaitMarker("tick-3.started");

        assertThat(child.process().isAlive()).isTrue();
        assertThat(pidDir.resolve("liberator.shutdown")).doesNotExist();
        child.process().destroy();
        assertThat(child.awaitExit()).isZero();
        assertThat(child.stdout()).contains("stale_shutdown_flag_removed");
    }

    @Test
    void aSecondInstanceOfASingletonExitsTwo() throws Exception {
        Path pidDir = tmp.resolve("run");
        Child first = start("watcher", pidDir, 0, TickOutcome.IDLE, true, Map.of());
        first.awaitMarker("tick-1.started");

        Child second = start("watcher", pidDir, 0, TickOutcome.IDLE, true, Map.of());

        assertThat(second.awaitExit()).isEqualTo(2);
        assertThat(second.count(".started")).as("the duplicate never ticked").isZero();
        assertThat(second.stderr()).contains(pidDir.resolve("watcher.pid").toString())
                .contains("pid " + first.process().pid());
        assertThat(second.stdout()).contains("reason=\"singleton_violation\"");
        assertThat(first.process().isAlive()).isTrue();
        assertThat(Files.readString(pidDir.resolve("watcher.pid"))).isEqualTo(Long.toString(first.process().pid()));

        first.process().destroy();
        assertThat(first.awaitExit()).isZero();
        // the PID file stays behind, with the last holder's PID, for forensics
        assertThat(Files.readString(pidDir.resolve("watcher.pid"))).isEqualTo(Long.toString(first.process().pid()));
    }

    @Test
    void aFailedSecondAcquireInThisJvmDoesNotDropTheOsLock() throws Exception {
        Path pidDir = tmp.resolve("run");
        try (PidFileGuard held = PidFileGuard.acquire(pidDir, "liberator")) {
            assertThatThrownBy(() -> PidFileGuard.acquire(pidDir, "liberator"))
                    .isInstanceOf(SingletonViolationException.class);

            Child other = start("liberator", pidDir, 0, TickOutcome.IDLE, true, Map.of());

            assertThat(other.awaitExit()).as("another process still sees the lock").isEqualTo(2);
            assertThat(other.stderr()).contains("pid " + held.pid());
        }
    }

    @Test
    void aTickOutlivingTheShutdownTimeoutEndsTheProcessWithExitOne() throws Exception {
        Path pidDir = tmp.resolve("run");
        Child child = start("reconciler", pidDir, 60_000, TickOutcome.WORK_DONE, false,
                Map.of("STARDUST_DAEMON_SHUTDOWN_TIMEOUT", "300ms"));
        child.awaitMarker("tick-1.started");

        child.process().destroy();

        assertThat(child.awaitExit()).isEqualTo(1);
        assertThat(child.hasMarker("tick-1.finished")).isFalse();
        assertThat(child.stdout()).contains("event=\"drain_timeout\" source=\"process\"");
    }
}
