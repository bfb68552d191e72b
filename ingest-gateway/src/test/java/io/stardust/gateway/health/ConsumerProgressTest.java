package io.stardust.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConsumerProgressTest {
    private final StepClock clock = new StepClock();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConsumerProgress progress = new ConsumerProgress(clock, Duration.ofSeconds(60), running::get);

    @Test
    void aCaughtUpConsumerIsOkWithItsLag() {
        progress.lagReported(0);
        clock.advance(Duration.ofMinutes(10));
        progress.lagReported(0);
        CheckResult r = progress.result();
        assertThat(r.healthy()).isTrue();
        assertThat(r.toMap()).containsEntry("status", "ok").containsEntry("lag", 0L);
    }

    @Test
    void recordsWaitingLongerThanTheStallTimeoutWithoutACommitAreStalled() {
        progress.lagReported(40);
        clock.advance(Duration.ofSeconds(59));
        progress.lagReported(40);
        assertThat(progress.result().healthy()).isTrue();
        clock.advance(Duration.ofSeconds(2));
        progress.lagReported(40);
        CheckResult r = progress.result();
        assertThat(r.state()).isEqualTo("stalled");
        assertThat(r.detail()).contains("40 records waiting");
        assertThat(r.toMap()).containsEntry("lag", 40L);
    }

    @Test
    void aBacklogThatKeepsCommittingIsHealthy() {
        progress.lagReported(5000);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(30));
            progress.committed();
            progress.lagReported(5000 - i * 100);
        }
        assertThat(progress.result().healthy()).isTrue();
    }

    @Test
    void aLoopThatStoppedOrStoppedReportingIsNotHealthy() {
        progress.lagReported(0);
        clock.advance(Duration.ofSeconds(61));
        assertThat(progress.result().state()).isEqualTo("stalled");
        assertThat(progress.result().detail()).contains("has not reported");
        progress.lagReported(0);
        running.set(false);
        assertThat(progress.result().state()).isEqualTo("down");
    }
}
