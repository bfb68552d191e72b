package io.stardust.engine.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Retry-with-backoff for a unit of database work that rolls back as a whole when it fails (a transaction, a chunk):
 * a failure whose {@link DbErrorKind} is one of the retried kinds is retried after the {@link Backoff}'s delay,
 * up to {@link #maxRetries} retries and, if set, only while the next attempt would start within
 * {@link #giveUpAfter} of the first; anything else, and the last failure, propagates unchanged. Immutable; the
 * clock and the sleeper are injected so the schedule is unit-testable without waiting.
 *
 * <pre>{@code
 * Retry conflicts = Retry.on(DbErrorKind.CONFLICT).maxRetries(3).backoff(Backoff.fixed(Duration.ofMillis(5)));
 * Chunk done = conflicts.call(() -> runChunk(), (attempt, delay, kind, e) -> events.warning("deadlock_retry", ...));
 * }</pre>
 */
public final class Retry {

    /** The work; it must leave nothing half-done when it throws (roll back), since it runs again. */
    @FunctionalInterface
    public interface Attempt<T, X extends Exception> {
        T call() throws X;
    }

    /** Told before each wait: retry number {@code attempt} (1-based) follows after {@code delay}. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (attempt, delay, kind, error) -> { };

        void retrying(int attempt, Duration delay, DbErrorKind kind, Throwable error);
    }

    private final Set<DbErrorKind> kinds;
    private final Backoff backoff;
    private final int maxRetries;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final Sleeper sleeper;

    private Retry(Set<DbErrorKind> kinds, Backoff backoff, int maxRetries, Duration giveUpAfter, Clock clock,
                  Sleeper sleeper) {
        this.kinds = kinds;
        this.backoff = backoff;
        this.maxRetries = maxRetries;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Retries failures of these kinds, at once, without limit, until configured otherwise. */
    public static Retry on(DbErrorKind first, DbErrorKind... more) {
        return new Retry(EnumSet.of(first, more), Backoff.fixed(Duration.ZERO), Integer.MAX_VALUE, null,
                Clock.systemUTC(), Sleeper.system());
    }

    public Retry backoff(Backoff newBackoff) {
        return new Retry(kinds, Objects.requireNonNull(newBackoff), maxRetries, giveUpAfter, clock, sleeper);
    }

    /** At most {@code retries} retries after the first attempt (0: never retry). */
    public Retry maxRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + retries);
        }
        return new Retry(kinds, backoff, retries, giveUpAfter, clock, sleeper);
    }

    /** No retry that would start later than {@code budget} after the first attempt started. */
    public Retry giveUpAfter(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter must not be negative, got " + budget);
        }
        return new Retry(kinds, backoff, maxRetries, budget, clock, sleeper);
    }

    public Retry clock(Clock newClock) {
        return new Retry(kinds, backoff, maxRetries, giveUpAfter, Objects.requireNonNull(newClock), sleeper);
    }

    public Retry sleeper(Sleeper newSleeper) {
        return new Retry(kinds, backoff, maxRetries, giveUpAfter, clock, Objects.requireNonNull(newSleeper));
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Whether a failure of this kind is retried at all (budget aside). */
    public boolean retries(Throwable error) {
        return kinds.contains(DbErrorKind.of(error));
    }

    public <T, X extends Exception> T call(Attempt<T, X> work) throws X, InterruptedException {
        return call(work, Listener.NONE);
    }

    /**
     * Runs {@code work} until it succeeds or fails in a way not retried.
     *
     * @throws X                    the last failure of {@code work}
     * @throws InterruptedException when interrupted while waiting between attempts
     */
    public <T, X extends Exception> T call(Attempt<T, X> work, Listener listener) throws X, InterruptedException {
        Instant start = clock.instant();
        for (int retry = 1; ; retry++) {
            try {
                return work.call();
            } catch (Exception e) {
                DbErrorKind kind = DbErrorKind.of(e);
                Duration delay = retry > maxRetries || !kinds.contains(kind) ? null : backoff.delay(retry);
                if (delay == null || pastBudget(start, delay)) {
                    throw e;
                }
                listener.retrying(retry, delay, kind, e);
                if (!delay.isZero()) {
                    sleeper.sleep(delay);
                }
            }
        }
    }

    private boolean pastBudget(Instant start, Duration delay) {
        return giveUpAfter != null && clock.instant().plus(delay).isAfter(start.plus(giveUpAfter));
    }
}
