package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.config.ConfigDef;
import io.stardust.daemon.DaemonRunner;
import io.stardust.daemon.PollSettings;
import io.stardust.daemon.TickOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The Reconciler's tick: upstream's ReconcilerTickTest [pure]. */
class ReconcilerTickTest {
    private final List<String> calls = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();

    private WorkSource source(String name, TickOutcome outcome) {
        return id -> {
            calls.add(name + ":" + id);
            return outcome;
        };
    }

    private Reconciler reconciler(Duration delay, WorkSource... sources) {
        return new Reconciler(List.of(sources), delay, sleeps::add, () -> "chunk-1", null);
    }

    @Test
    void sourcesAreTickedInOrderWithOneCorrelationIdAndTheDelayFollowsEachWorkDone() throws Exception {
        Reconciler r = reconciler(Duration.ofNanos(7_000), source("sync", TickOutcome.WORK_DONE),
                source("second", TickOutcome.IDLE), source("third", TickOutcome.WORK_DONE));

        assertThat(r.tick()).isEqualTo(TickOutcome.WORK_DONE);
        assertThat(calls).containsExactly("sync:chunk-1", "second:chunk-1", "third:chunk-1");
        // within the tick only between sources; the poll loop sleeps the same delay after the tick
        assertThat(sleeps).containsExactly(Duration.ofNanos(7_000));
    }

    @Test
    void aCapacityWaitDoesNotStopTheLaterSourcesAndIsTheTicksOutcomeOnlyWhenNothingElseWorked() throws Exception {
        Reconciler waitsThenWorks = reconciler(Duration.ZERO, source("sync", TickOutcome.CAPACITY_WAIT),
                source("rename", TickOutcome.WORK_DONE));
        assertThat(waitsThenWorks.tick()).isEqualTo(TickOutcome.WORK_DONE);
        assertThat(calls).containsExactly("sync:chunk-1", "rename:chunk-1");

        calls.clear();
        Reconciler onlyWaits = reconciler(Duration.ZERO, source("sync", TickOutcome.CAPACITY_WAIT),
                source("retype", TickOutcome.IDLE));
        assertThat(onlyWaits.tick()).isEqualTo(TickOutcome.CAPACITY_WAIT);
        assertThat(calls).containsExactly("sync:chunk-1", "retype:chunk-1");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void idleSourcesNeverSleepAndZeroDelayNeverSleeps() throws Exception {
        assertThat(reconciler(Duration.ofMillis(5), source("a", TickOutcome.IDLE), source("b", TickOutcome.IDLE)).tick())
                .isEqualTo(TickOutcome.IDLE);
        assertThat(reconciler(Duration.ZERO, source("a", TickOutcome.WORK_DONE), source("b", TickOutcome.WORK_DONE)).tick())
                .isEqualTo(TickOutcome.WORK_DONE);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theDaemonWaitsFiveSecondsOnCapacityWaitTheDelayAfterWorkAndTheIdleBackoffWhenIdle() {
        Properties file = new Properties();
        file.setProperty("dsn", "jdbc:mysql://127.0.0.1:1/unused");
        file.setProperty("user", "u");
        file.setProperty("reconcilerInterChunkDelayMicros", "2500");
        ConfigDef def = ReconcilerConfig.deployableDefinition();
        DaemonRunner runner = ReconcilerDaemon.runner(def.resolve(file, Map.of()));
        PollSettings poll = runner.pollSettings();

        assertThat(poll.sleepAfter(TickOutcome.CAPACITY_WAIT)).isEqualTo(Duration.ofMillis(5000));
        assertThat(poll.sleepAfter(TickOutcome.WORK_DONE)).isEqualTo(Duration.ofNanos(2_500_000));
        assertThat(poll.idleInterval()).as("upstream's Reconciler interval").isZero();
        assertThat(poll.sleepAfter(TickOutcome.IDLE)).as("Q7 fixed: an idle worker still sleeps").isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theEnvironmentWinsOverTheConfigFile() {
        Properties file = new Properties();
        file.setProperty("reconcilerChunkSize", "10");
        file.setProperty("reconcilerCapacityWaitMillis", "100");
        ReconcilerConfig config = ReconcilerConfig.from(ReconcilerConfig.deployableDefinition()
                .resolve(file, Map.of("STARDUST_RECONCILER_CHUNK_SIZE", "20")));

        assertThat(config.chunkSize()).isEqualTo(20);
        assertThat(config.capacityWaitMillis()).isEqualTo(100);
        assertThat(config.dlqMaxAttempts()).isEqualTo(5);
        assertThat(ReconcilerConfig.defaults()).isEqualTo(new ReconcilerConfig(500, 0, 5000, 5, 3, 0, 200, 3, 30));
    }
}
