package io.stardust.daemon;

import io.stardust.daemon.process.ShutdownSignal;
import io.stardust.engine.db.Backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stardust.engine.event.EventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollLoopTest {

    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime();

    private PollLoop loop(PollSettings settings) {
        return new PollLoop(settings, time, DbOutagePolicy.standard("test",
                Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), new EventLog(DaemonEvents.SOURCE),
                "corr", time.clock()));
    }

    private ShutdownSignal signal() {
        return ShutdownSignal.forProcess(dir, "test");
    }

    /** Returns the scripted outcomes in order, then requests shutdown from inside the last tick. */
    private static Tickable scripted(ShutdownSignal signal, TickOutcome... outcomes) {
        Deque<TickOutcome> left = new ArrayDeque<>(List.of(outcomes));
        return () -> {
            TickOutcome o = left.removeFirst();
            if (left.isEmpty()) {
                signal.request(ShutdownSignal.Reason.REQUESTED);
            }
            return o;
        };
    }

    @Test
    void stopsAsSoonAsShutdownIsRequestedAndNeverTicksAgain() throws Exception {
        ShutdownSignal signal = signal();
        AtomicInteger ticks = new AtomicInteger();
        Tickable t = () -> {
            if (ticks.incrementAndGet() == 3) {
                signal.request(ShutdownSignal.Reason.REQUESTED);
            }
            return TickOutcome.IDLE;
        };
        PollLoop loop = loop(PollSettings.of(Duration.ofSeconds(5), Duration.ofMillis(250)));

        assertThat(loop.run(t, signal)).isEqualTo(ShutdownSignal.Reason.REQUESTED);

        assertThat(ticks).hasValue(3);
        assertThat(loop.ticks()).isEqualTo(3);
        // two full idle sleeps of 5 x 1 s; the third is skipped because shutdown is checked before each slice
        assertThat(time.sleeps()).hasSize(10).allMatch(d -> d.equals(Duration.ofSeconds(1)));
    }

    @Test
    void aRequestBeforeTheFirstTickMeansNoTick() throws Exception {
        ShutdownSignal signal = signal();
        signal.request(ShutdownSignal.Reason.SIGNAL);
        AtomicInteger ticks = new AtomicInteger();

        assertThat(loop(PollSettings.of(Duration.ZERO, Duration.ofMillis(250))).run(() -> {
            ticks.incrementAndGet();
            return TickOutcome.IDLE;
        }, signal)).isEqualTo(ShutdownSignal.Reason.SIGNAL);
        assertThat(ticks).hasValue(0);
    }

    @Test
    void workDoneTicksBackToBackWithoutSleeping() throws Exception {
        ShutdownSignal signal = signal();
        PollLoop loop = loop(PollSettings.of(Duration.ofSeconds(10), Duration.ofMillis(250)));

        loop.run(scripted(signal, TickOutcome.WORK_DONE, TickOutcome.WORK_DONE, TickOutcome.WORK_DONE,
                TickOutcome.WORK_DONE), signal);

        assertThat(loop.ticks()).isEqualTo(4);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void workDoneSleepsTheInterChunkDelayWhenOneIsSet() throws Exception {
        ShutdownSignal signal = signal();
        PollLoop loop = loop(PollSettings.of(Duration.ofSeconds(10), Duration.ofMillis(250))
                .withWorkDoneDelay(Duration.ofMillis(40)));

        loop.run(scripted(signal, TickOutcome.WORK_DONE, TickOutcome.WORK_DONE, TickOutcome.WORK_DONE), signal);

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(40), Duration.ofMillis(40));
    }

    @Test
    void idleSleepsTheIntervalInSlicesOfAtMostOneSecond() throws Exception {
        ShutdownSignal signal = signal();
        loop(PollSettings.of(Duration.ofMillis(3500), Duration.ofMillis(250)))
                .run(scripted(signal, TickOutcome.IDLE, TickOutcome.WORK_DONE), signal);

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(500));
    }

    @Test
    void idleWithIntervalZeroStillBacksOffQ7() throws Exception {
        ShutdownSignal signal = signal();
        loop(PollSettings.of(Duration.ZERO, Duration.ofMillis(250)))
                .run(scripted(signal, TickOutcome.IDLE, TickOutcome.IDLE, TickOutcome.WORK_DONE, TickOutcome.IDLE,
                        TickOutcome.WORK_DONE), signal);

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250),
                Duration.ofMillis(250));
    }

    @Test
    void anIntervalLongerThanTheBackoffIsSleptInFull() {
        assertThat(PollSettings.of(Duration.ofSeconds(10), Duration.ofMillis(250)).idleSleep())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(PollSettings.of(Duration.ZERO, Duration.ofMillis(250)).idleSleep())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void capacityWaitSleepsTheCapacityWait() throws Exception {
        ShutdownSignal signal = signal();
        loop(PollSettings.of(Duration.ZERO, Duration.ofMillis(250)).withCapacityWait(Duration.ofMillis(2500)))
                .run(scripted(signal, TickOutcome.CAPACITY_WAIT, TickOutcome.WORK_DONE), signal);

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    @Test
    void aFlagFileCreatedDuringASleepIsObservedBeforeTheNextSlice() throws Exception {
        ShutdownSignal signal = signal();
        time.onSleep(n -> {
            if (n == 3) {
                touch(signal.flagFile());
            }
        });
        AtomicInteger ticks = new AtomicInteger();
        PollLoop loop = loop(PollSettings.of(Duration.ofMinutes(10), Duration.ofMillis(250)));

        ShutdownSignal.Reason reason = loop.run(() -> {
            ticks.incrementAndGet();
            return TickOutcome.IDLE;
        }, signal);

        assertThat(reason).isEqualTo(ShutdownSignal.Reason.FLAG_FILE);
        assertThat(ticks).hasValue(1);
        // the flag appeared during slice 3; the check before slice 4 saw it
        assertThat(time.sleeps()).hasSize(3);
        // the loop leaves the flag for the other workers; only a start-up removes it (Q10)
        assertThat(signal.flagFile()).exists();
    }

    @Test
    void theSignalSleeperWakesUpAsSoonAsShutdownIsRequested() {
        ShutdownSignal signal = signal();
        PollLoop loop = new PollLoop(PollSettings.of(Duration.ofHours(1), Duration.ofMillis(250))
                .withSlice(Duration.ofHours(1)), signal.sleeper(), DbOutagePolicy.standard("test",
                Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), new EventLog(DaemonEvents.SOURCE),
                "corr", time.clock()));
        AtomicInteger ticks = new AtomicInteger();
        CompletableFuture<ShutdownSignal.Reason> run = CompletableFuture.supplyAsync(() -> {
            try {
                return loop.run(() -> {
                    ticks.incrementAndGet();
                    return TickOutcome.IDLE;
                }, signal);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() == 1);

        signal.request(ShutdownSignal.Reason.SIGNAL);

        // an hour-long slice, yet the loop ends at once
        await().atMost(Duration.ofSeconds(10)).until(run::isDone);
        assertThat(run.join()).isEqualTo(ShutdownSignal.Reason.SIGNAL);
        assertThat(ticks).hasValue(1);
    }

    @Test
    void anInterruptStopsTheLoopAndKeepsTheInterruptFlag() throws Exception {
        ShutdownSignal signal = signal();
        PollLoop loop = new PollLoop(PollSettings.of(Duration.ofSeconds(1), Duration.ofMillis(250)), d -> {
            throw new InterruptedException("test");
        }, DbOutagePolicy.standard("test", Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                new EventLog(DaemonEvents.SOURCE), "corr", time.clock()));
        try {
            assertThat(loop.run(() -> TickOutcome.IDLE, signal)).isEqualTo(ShutdownSignal.Reason.INTERRUPTED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aNonTransientTickFailureLeavesTheLoop() {
        ShutdownSignal signal = signal();
        PollLoop loop = loop(PollSettings.of(Duration.ZERO, Duration.ofMillis(250)));

        assertThatThrownBy(() -> loop.run(() -> {
            throw new IllegalStateException("boom");
        }, signal)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aTickReturningNullIsABug() {
        assertThatThrownBy(() -> loop(PollSettings.of(Duration.ZERO, Duration.ofMillis(250)))
                .run(() -> null, signal())).isInstanceOf(NullPointerException.class).hasMessageContaining("null");
    }

    @Test
    void settingsRejectNegativeDurationsAndAZeroSlice() {
        assertThatThrownBy(() -> PollSettings.of(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleInterval");
        assertThatThrownBy(() -> PollSettings.of(Duration.ZERO, Duration.ZERO).withSlice(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice");
    }

    static void touch(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
