package io.stardust.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.kit.EventCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime in-process (signals are covered by the process tests of each module and the CLI). */
class ProcessRuntimeTest {

    @TempDir
    Path dir;

    private final EventCapture events = EventCapture.open();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger halted = new AtomicInteger(-1);

    @AfterEach
    void closeCapture() {
        events.close();
    }

    private ProcessRuntime.Builder runtime(Duration shutdownTimeout) {
        return ProcessRuntime.builder("serve", new ProcessSettings(dir, shutdownTimeout))
                .handleSignals(false)
                .pollInterval(Duration.ofMillis(20))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))
                .halt(halted::set);
    }

    /** A body that waits for the stop request, then drains for {@code drain}. */
    private static ProcessRuntime.Body waitingBody(CountDownLatch running, CountDownLatch drain) {
        return stop -> {
            running.countDown();
            while (!stop.awaitRequest(Duration.ofMillis(10))) {
                // the runtime turns the flag file into a request
            }
            drain.await(30, TimeUnit.SECONDS);
            return ExitCode.OK;
        };
    }

    @Test
    void theFlagFileBecomesAStopRequestAndADrainedBodyExitsZero() throws Exception {
        ProcessRuntime rt = runtime(Duration.ofSeconds(30)).build();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch drained = new CountDownLatch(0);
        AtomicReference<ProcessRuntime.Outcome> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> outcome.set(rt.run(waitingBody(running, drained))));
        t.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        Files.writeString(dir.resolve("serve.shutdown"), "");

        t.join(30_000);
        assertThat(outcome.get()).isEqualTo(new ProcessRuntime.Outcome(ExitCode.OK, "shutdown_flag", null, true));
        assertThat(events.named(ProcessEvents.STOP_REQUESTED)).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("reason", "shutdown_flag")
                        .containsEntry("process", "serve").containsEntry("source", "process"));
        assertThat(halted).hasValue(-1);
    }

    @Test
    void aDrainOutlivingTheShutdownTimeoutEndsTheProcessWithExitOne() throws Exception {
        ProcessRuntime rt = runtime(Duration.ofMillis(200)).build();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch neverDrains = new CountDownLatch(1);
        Thread t = new Thread(() -> rt.run(waitingBody(running, neverDrains)));
        t.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        rt.signal().request(ShutdownSignal.Reason.SIGNAL);

        await().atMost(Duration.ofSeconds(30)).untilAtomic(halted, org.hamcrest.Matchers.equalTo(ExitCode.FATAL));
        assertThat(events.names()).contains(ProcessEvents.DRAIN_TIMEOUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("serve: did not stop within its shutdown timeout");
        neverDrains.countDown();
        t.join(30_000);
    }

    @Test
    void aStaleFlagIsRemovedAtStartAndDoesNotStopTheProcess() throws Exception {
        Files.writeString(dir.resolve("serve.shutdown"), "");
        ProcessRuntime rt = runtime(Duration.ofSeconds(30)).build();

        ProcessRuntime.Outcome outcome = rt.run(stop -> stop.isRequested() ? ExitCode.FATAL : ExitCode.OK);

        assertThat(outcome.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(outcome.reason()).isEqualTo("completed");
        assertThat(events.names()).contains(ProcessEvents.STALE_SHUTDOWN_FLAG_REMOVED);
    }

    @Test
    void aConfigurationErrorOrADeclaredRefusalExitsTwoAndAnyOtherFailureExitsOne() {
        class Refused extends RuntimeException {
            Refused() {
                super("binlog_format must be ROW");
            }
        }
        assertThat(runtime(Duration.ofSeconds(1)).build().run(stop -> {
            throw new ConfigException("httpPort: not a number");
        }).exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(runtime(Duration.ofSeconds(1)).refusals(Refused.class).build().run(stop -> {
            throw new Refused();
        })).satisfies(o -> assertThat(o.exitCode()).isEqualTo(ExitCode.USAGE))
                .satisfies(o -> assertThat(o.reason()).isEqualTo("refused"));
        assertThat(runtime(Duration.ofSeconds(1)).build().run(stop -> {
            throw new IllegalStateException("boom");
        }).exitCode()).isEqualTo(ExitCode.FATAL);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("serve: httpPort: not a number")
                .contains("serve: binlog_format must be ROW")
                .contains("serve: fatal: java.lang.IllegalStateException: boom");
    }

    @Test
    void aRefusedGuardStopsTheRunBeforeTheFlagFileIsTouched() throws Exception {
        Files.writeString(dir.resolve("serve.shutdown"), "meant for the running instance");
        AtomicInteger bodies = new AtomicInteger();

        ProcessRuntime.Outcome outcome = runtime(Duration.ofSeconds(1)).refusals(IllegalMonitorStateException.class)
                .guard(() -> {
                    throw new IllegalMonitorStateException("held by pid 42");
                }).build().run(stop -> bodies.incrementAndGet());

        assertThat(outcome.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(outcome.started()).isFalse();
        assertThat(bodies).hasValue(0);
        assertThat(dir.resolve("serve.shutdown")).exists();
    }

    @Test
    void theResolvedConfigurationIsLoggedOnceWithSecretsMasked() {
        ConfigDef def = ConfigDef.of(StarDustConfig.OPTIONS, List.of(ProcessSettings.PID_FILE_DIR));
        Properties file = new Properties();
        file.setProperty("dsn", "jdbc:mysql://app:dsn-secret@db.internal:3306/app?password=query-secret&useSSL=true");
        file.setProperty("user", "app");
        file.setProperty("pass", "top-secret");
        ConfigValues values = def.resolve(file, Map.of());

        runtime(Duration.ofSeconds(1)).config(def, values).build().run(stop -> ExitCode.OK);

        EventCapture.Event resolved = events.named(ProcessEvents.CONFIG_RESOLVED).get(0);
        assertThat(events.named(ProcessEvents.CONFIG_RESOLVED)).hasSize(1);
        String config = String.valueOf(resolved.get("config"));
        assertThat(config).doesNotContain("top-secret").doesNotContain("dsn-secret").doesNotContain("query-secret")
                .contains("jdbc:mysql://app:****@db.internal:3306/app?password=****&useSSL=true")
                .contains("user=app").contains("pass=****").contains("pidFileDir=");
        assertThat(resolved.fields()).containsEntry("process", "serve");
    }

    @Test
    void theRuntimeLogsOnlyItsVocabulary() throws Exception {
        Files.writeString(dir.resolve("serve.shutdown"), "");
        ProcessRuntime rt = runtime(Duration.ofSeconds(1))
                .config(ConfigDef.of(List.of(ProcessSettings.PID_FILE_DIR)), ConfigDef.of(List.of(ProcessSettings.PID_FILE_DIR))
                        .resolve(new Properties(), Map.of()))
                .build();
        rt.run(stop -> {
            stop.request(ShutdownSignal.Reason.REQUESTED);
            await().atMost(Duration.ofSeconds(30)).until(() -> !events.named(ProcessEvents.STOP_REQUESTED).isEmpty());
            return ExitCode.OK;
        });

        assertThat(events.all()).allSatisfy(e -> assertThat(e.source()).isEqualTo(ProcessEvents.SOURCE));
        assertThat(ProcessEvents.VOCABULARY).containsAll(events.names());
        assertThat(events.names()).containsExactly(ProcessEvents.CONFIG_RESOLVED,
                ProcessEvents.STALE_SHUTDOWN_FLAG_REMOVED, ProcessEvents.STOP_REQUESTED);
    }
}
