package io.stardust.daemon;

import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessEvents;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.config.ConfigException;
import io.stardust.kit.EventCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner in-process (no signal hook; signals are covered by {@link DaemonProcessTest}). */
class DaemonRunnerTest {

    @TempDir
    Path pidDir;

    private final EventCapture events = EventCapture.open();
    private final FakeTime time = new FakeTime();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void closeCapture() {
        events.close();
    }

    private DaemonRunner.Builder builder(String daemon) {
        return DaemonRunner.builder(daemon, DaemonConfig.defaults().withPidFileDir(pidDir))
                .handleSignals(false)
                .sleeper(time)
                .clock(time.clock())
                .err(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The daemon's own events; the runtime's (source {@code process}) are logged from its watch thread. */
    private java.util.List<String> daemonEventNames() {
        return events.all().stream().filter(e -> "daemon".equals(e.source())).map(EventCapture.Event::name).toList();
    }

    /** Counts ticks and stops its runner from inside tick number {@code stopAt}. */
    private static final class Counting implements Tickable, AutoCloseable {
        final AtomicInteger ticks = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        final int stopAt;
        final TickOutcome outcome;
        DaemonRunner runner;

        Counting(int stopAt, TickOutcome outcome) {
            this.stopAt = stopAt;
            this.outcome = outcome;
        }

        @Override
        public TickOutcome tick() {
            if (ticks.incrementAndGet() == stopAt) {
                runner.requestShutdown();
            }
            return outcome;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aDaemonWithAMetricsPortServesItsTicksAndHealthWhileItRuns() {
        java.util.List<String> scraped = new java.util.ArrayList<>();
        DaemonRunner[] runner = new DaemonRunner[1];
        AtomicInteger ticks = new AtomicInteger();
        Tickable daemon = () -> {
            if (ticks.incrementAndGet() == 3) {
                String url = (String) events.named(DaemonEvents.DAEMON_STARTED).get(0).get("metrics_url");
                scraped.add(get(url));
                scraped.add(get(url.replace("/metrics", "/health")));
                runner[0].requestShutdown();
            }
            return TickOutcome.IDLE;
        };
        runner[0] = DaemonRunner.builder("watcher", DaemonConfig.defaults().withPidFileDir(pidDir).withMetrics(0, "127.0.0.1"))
                .handleSignals(false).sleeper(time).clock(time.clock()).tickable(daemon).build();

        assertThat(runner[0].run()).isEqualTo(ExitCode.OK);

        assertThat(scraped.get(0)).contains("stardust_daemon_ticks_total{daemon=\"watcher\",outcome=\"idle\"} 2.0")
                .contains("stardust_daemon_db_available{daemon=\"watcher\"} 1.0");
        assertThat(scraped.get(1)).isEqualTo("{\"status\":\"ok\"}");
    }

    private static String get(String url) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRequestedStopExitsZeroAfterLoggingStartAndStop() {
        Counting daemon = new Counting(3, TickOutcome.IDLE);
        daemon.runner = builder("reconciler").tickable(daemon).build();

        assertThat(daemon.runner.run()).isEqualTo(ExitCode.OK);

        assertThat(daemon.ticks).hasValue(3);
        assertThat(daemon.closed).isTrue();
        assertThat(daemonEventNames()).containsExactly(DaemonEvents.DAEMON_STARTED, DaemonEvents.DAEMON_STOPPED);
        EventCapture.Event started = events.named(DaemonEvents.DAEMON_STARTED).get(0);
        assertThat(started.source()).isEqualTo("daemon");
        assertThat(started.get("daemon")).isEqualTo("reconciler");
        assertThat(started.get("pid")).isEqualTo(ProcessHandle.current().pid());
        assertThat(started.get("flag_file")).isEqualTo(pidDir.resolve("reconciler.shutdown").toString());
        assertThat(started.fields()).doesNotContainKey("pid_file");
        assertThat(started.get("idle_interval_ms")).isEqualTo(0L);
        assertThat(started.get("idle_sleep_ms")).isEqualTo(250L);
        EventCapture.Event stopped = events.named(DaemonEvents.DAEMON_STOPPED).get(0);
        assertThat(stopped.fields()).containsEntry("reason", "requested").containsEntry("exit_code", 0)
                .containsEntry("ticks", 3L);
        assertThat(stopped.get("correlation_id")).isEqualTo(started.get("correlation_id"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        // interval 0, yet every idle tick was followed by the 250 ms idle backoff (Q7)
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void aStaleFlagIsRemovedAtStartupAndLoggedQ10() throws Exception {
        Path flag = pidDir.resolve("chronicler.shutdown");
        Files.writeString(flag, "");
        Counting daemon = new Counting(2, TickOutcome.IDLE);
        daemon.runner = builder("chronicler").tickable(daemon).build();

        assertThat(daemon.runner.run()).isEqualTo(ExitCode.OK);

        assertThat(flag).doesNotExist();
        assertThat(daemon.ticks).as("the daemon ran instead of stopping at once").hasValue(2);
        assertThat(events.names()).startsWith(ProcessEvents.STALE_SHUTDOWN_FLAG_REMOVED, DaemonEvents.DAEMON_STARTED);
        assertThat(events.named(ProcessEvents.STALE_SHUTDOWN_FLAG_REMOVED)).singleElement().satisfies(e -> {
            assertThat(e.get("flag_file")).isEqualTo(flag.toString());
            assertThat(e.level()).isEqualTo("WARN");
        });
    }

    @Test
    void aFlagFileCreatedWhileRunningStopsTheDaemonWithExitZero() {
        time.onSleep(n -> {
            if (n == 2) {
                PollLoopTest.touch(pidDir.resolve("liberator.shutdown"));
            }
        });
        AtomicInteger ticks = new AtomicInteger();
        DaemonRunner runner = builder("liberator").singleton().idleInterval(Duration.ofSeconds(10))
                .tickable(() -> {
                    ticks.incrementAndGet();
                    return TickOutcome.IDLE;
                }).build();

        assertThat(runner.run()).isEqualTo(ExitCode.OK);

        assertThat(ticks).hasValue(1);
        assertThat(time.sleeps()).hasSize(2);
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED)).singleElement()
                .satisfies(e -> assertThat(e.get("reason")).isEqualTo("shutdown_flag"));
        assertThat(events.named(DaemonEvents.DAEMON_STARTED)).singleElement()
                .satisfies(e -> assertThat(e.get("pid_file")).isEqualTo(pidDir.resolve("liberator.pid").toString()));
    }

    @Test
    void aSingletonThatIsAlreadyRunningExitsTwoWithoutTouchingTheFlagOrTicking() throws Exception {
        Path flag = pidDir.resolve("watcher.shutdown");
        AtomicBoolean created = new AtomicBoolean();
        try (PidFileGuard running = PidFileGuard.acquire(pidDir, "watcher")) {
            // the operator just asked the running watcher to stop: a refused duplicate must not eat that flag
            Files.writeString(flag, "");
            DaemonRunner duplicate = builder("watcher").singleton().tickableFactory(() -> {
                created.set(true);
                return () -> TickOutcome.IDLE;
            }).build();

            assertThat(duplicate.run()).isEqualTo(ExitCode.USAGE);

            assertThat(running.isHeld()).isTrue();
        }
        assertThat(flag).exists();
        assertThat(created).as("no daemon (and no DB connection) was built").isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("watcher: ")
                .contains(pidDir.resolve("watcher.pid").toString()).contains("pid " + ProcessHandle.current().pid());
        assertThat(daemonEventNames()).containsExactly(DaemonEvents.DAEMON_STOPPED);
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED).get(0).fields())
                .containsEntry("reason", "singleton_violation").containsEntry("exit_code", 2);
    }

    @Test
    void theGuardIsReleasedWhenTheDaemonStops() {
        Counting daemon = new Counting(1, TickOutcome.WORK_DONE);
        daemon.runner = builder("watcher").singleton().tickable(daemon).build();
        assertThat(daemon.runner.run()).isEqualTo(ExitCode.OK);

        try (PidFileGuard next = PidFileGuard.acquire(pidDir, "watcher")) {
            assertThat(next.isHeld()).isTrue();
        }
    }

    @Test
    void aFatalTickExitsOneClosesTheDaemonAndReleasesTheGuard() {
        AtomicBoolean closed = new AtomicBoolean();
        final class Failing implements Tickable, AutoCloseable {
            @Override
            public TickOutcome tick() {
                throw new IllegalStateException("corrupt registry");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        DaemonRunner runner = builder("liberator").singleton().tickable(new Failing()).build();

        assertThat(runner.run()).isEqualTo(ExitCode.FATAL);

        assertThat(closed).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("liberator: fatal:").contains("corrupt registry");
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED)).singleElement().satisfies(e -> {
            assertThat(e.fields()).containsEntry("reason", "fatal_error").containsEntry("exit_code", 1)
                    .containsEntry("ticks", 1L);
            assertThat(e.level()).isEqualTo("ERROR");
        });
        try (PidFileGuard next = PidFileGuard.acquire(pidDir, "liberator")) {
            assertThat(next.isHeld()).isTrue();
        }
    }

    @Test
    void anErrorThrownByATickIsFatalTooAndStillReleasesTheGuard() {
        DaemonRunner runner = builder("watcher").singleton().tickable(() -> {
            throw new AssertionError("invariant broken");
        }).build();

        assertThat(runner.run()).isEqualTo(ExitCode.FATAL);

        assertThat(events.named(DaemonEvents.DAEMON_STOPPED).get(0).get("reason")).isEqualTo("fatal_error");
        try (PidFileGuard next = PidFileGuard.acquire(pidDir, "watcher")) {
            assertThat(next.isHeld()).isTrue();
        }
    }

    @Test
    void aConfigurationErrorWhileBuildingTheDaemonIsAUsageError() {
        DaemonRunner runner = builder("chronicler").tickableFactory(() -> {
            throw new ConfigException("missing required configuration: set STARDUST_DSN");
        }).build();

        assertThat(runner.run()).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("STARDUST_DSN");
        assertThat(daemonEventNames()).containsExactly(DaemonEvents.DAEMON_STOPPED);
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED).get(0).get("reason")).isEqualTo("usage_error");
    }

    @Test
    void anyOtherStartupFailureIsFatal() {
        DaemonRunner runner = builder("chronicler").tickableFactory(() -> {
            throw new java.io.IOException("artifact dir not writable");
        }).build();

        assertThat(runner.run()).isEqualTo(ExitCode.FATAL);
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED).get(0).get("reason")).isEqualTo("startup_failed");
    }

    @Test
    void capacityWaitAndWorkDoneDelayComeFromTheBuilder() {
        AtomicInteger n = new AtomicInteger();
        DaemonRunner[] self = new DaemonRunner[1];
        self[0] = builder("reconciler").capacityWait(Duration.ofMillis(5000)).workDoneDelay(Duration.ofMillis(3))
                .tickable(() -> switch (n.incrementAndGet()) {
                    case 1 -> TickOutcome.CAPACITY_WAIT;
                    case 2 -> TickOutcome.WORK_DONE;
                    default -> {
                        self[0].requestShutdown();
                        yield TickOutcome.IDLE;
                    }
                }).build();

        assertThat(self[0].run()).isEqualTo(ExitCode.OK);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(3));
    }

    @Test
    void aRunnerRunsOnce() {
        Counting daemon = new Counting(1, TickOutcome.IDLE);
        daemon.runner = builder("reconciler").tickable(daemon).build();
        daemon.runner.run();
        org.assertj.core.api.Assertions.assertThatThrownBy(daemon.runner::run)
                .isInstanceOf(IllegalStateException.class);
    }
}
