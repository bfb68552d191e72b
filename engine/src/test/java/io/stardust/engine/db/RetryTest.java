package io.stardust.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry helper against a fake clock that only moves when the helper sleeps. */
class RetryTest {

    /** A clock and a sleeper in one: sleeping advances the clock by the requested duration. */
    private static final class FakeTime extends Clock implements Sleeper {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final FakeTime time = new FakeTime();

    private static SQLException deadlock() {
        return new SQLException("Deadlock found", "40001", 1213);
    }

    private static SQLException outage() {
        return new SQLException("Communications link failure", "08S01", 0);
    }

    /** Work that fails {@code failures} times with {@code error}, then returns the number of calls. */
    private static Retry.Attempt<Integer, SQLException> failing(int failures, SQLException error, AtomicInteger calls) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw error;
            }
            return calls.get();
        };
    }

    @Test
    void aConflictIsRetriedWithTheBackoffScheduleUntilTheWorkSucceeds() throws Exception {
        Retry retry = Retry.on(DbErrorKind.CONFLICT).maxRetries(5)
                .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(300)))
                .clock(time).sleeper(time);
        AtomicInteger calls = new AtomicInteger();
        List<String> told = new ArrayList<>();

        int result = retry.call(failing(4, deadlock(), calls),
                (attempt, delay, kind, e) -> told.add(attempt + ":" + delay.toMillis() + ":" + kind.code()));

        assertThat(result).isEqualTo(5);
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofMillis(300));
        assertThat(told).containsExactly("1:100:conflict", "2:200:conflict", "3:300:conflict", "4:300:conflict");
    }

    @Test
    void theLastFailurePropagatesUnchangedOnceTheRetryBudgetIsSpent() {
        Retry retry = Retry.on(DbErrorKind.CONFLICT).maxRetries(2).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .clock(time).sleeper(time);
        AtomicInteger calls = new AtomicInteger();
        SQLException error = deadlock();

        assertThatThrownBy(() -> retry.call(failing(10, error, calls))).isSameAs(error);

        assertThat(calls).hasValue(3);
        assertThat(time.sleeps).hasSize(2);
    }

    @Test
    void aFailureOfAKindNotRetriedPropagatesAtOnceWithoutWaiting() {
        Retry retry = Retry.on(DbErrorKind.CONFLICT).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .clock(time).sleeper(time);
        AtomicInteger calls = new AtomicInteger();
        SQLException duplicate = new SQLException("Duplicate entry", "23000", 1062);

        assertThatThrownBy(() -> retry.call(failing(1, duplicate, calls))).isSameAs(duplicate);
        assertThatThrownBy(() -> retry.call(() -> {
            throw new IllegalStateException("not a database error");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(calls).hasValue(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void noRetryStartsAfterTheTimeBudget() {
        Retry retry = Retry.on(DbErrorKind.OUTAGE)
                .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .giveUpAfter(Duration.ofSeconds(10)).clock(time).sleeper(time);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(failing(100, outage(), calls))).hasMessageContaining("link failure");

        // 1 + 2 + 4 = 7 s of waiting; the next wait (8 s) would start the retry 15 s after the first attempt
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(calls).hasValue(4);
    }

    @Test
    void zeroDelayRetriesDoNotSleepAndSeveralKindsCanBeRetried() throws Exception {
        Retry retry = Retry.on(DbErrorKind.CONFLICT, DbErrorKind.OUTAGE).maxRetries(3).clock(time).sleeper(time);
        AtomicInteger calls = new AtomicInteger();

        int result = retry.call(() -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw deadlock();
            }
            if (n == 2) {
                throw outage();
            }
            return n;
        });

        assertThat(result).isEqualTo(3);
        assertThat(time.sleeps).isEmpty();
    }
}
