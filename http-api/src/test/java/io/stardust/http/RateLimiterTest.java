package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aKeyMayBurstUpToItsRateThenWaitsForTokensToRefillWhileOtherKeysAreUnaffected() {
        RateLimiter limiter = new RateLimiter(2, now::get);
        assertThat(limiter.acquire(1)).isZero();
        assertThat(limiter.acquire(1)).isZero();
        assertThat(limiter.acquire(1)).as("third within the same instant").isEqualTo(1);
        assertThat(limiter.acquire(2)).as("another key").isZero();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(limiter.acquire(1)).as("one token refilled in half a second").isZero();
        assertThat(limiter.acquire(1)).isEqualTo(1);
    }

    @Test
    void zeroMeansNoLimit() {
        RateLimiter limiter = new RateLimiter(0, now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire(1)).isZero();
        }
    }
}
