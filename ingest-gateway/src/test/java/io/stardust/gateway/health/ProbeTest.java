package io.stardust.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProbeTest {
    private final StepClock clock = new StepClock();

    @Test
    void aProbeIsPendingUntilItFirstAnswersThenReportsItsLatestResult() {
        boolean[] fail = {false};
        Probe p = new Probe("mysql", t -> {
            if (fail[0]) {
                throw new IllegalStateException("wrapped", new java.sql.SQLException("Communications link failure"));
            }
        }, Duration.ofSeconds(2), clock);
        assertThat(p.result().state()).isEqualTo("pending");
        p.run();
        assertThat(p.result().healthy()).isTrue();
        fail[0] = true;
        p.run();
        assertThat(p.result().state()).isEqualTo("down");
        assertThat(p.result().detail()).isEqualTo("Communications link failure");
    }

    @Test
    void aProbeStillRunningPastItsTimeoutIsDownThoughItsLastResultWasOk() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        boolean[] block = {false};
        Probe p = new Probe("broker", t -> {
            if (block[0]) {
                entered.countDown();
                hang.await();
            }
        }, Duration.ofSeconds(2), clock);
        p.run();
        block[0] = true;
        CompletableFuture<Void> running = CompletableFuture.runAsync(p);
        entered.await();
        assertThat(p.result().healthy()).as("within the timeout the last answer stands").isTrue();
        clock.advance(Duration.ofSeconds(3));
        assertThat(p.result().state()).isEqualTo("down");
        assertThat(p.result().detail()).isEqualTo("no answer within 2000 ms");
        hang.countDown();
        await().atMost(Duration.ofSeconds(5)).until(running::isDone);
        assertThat(p.result().healthy()).isTrue();
    }
}
