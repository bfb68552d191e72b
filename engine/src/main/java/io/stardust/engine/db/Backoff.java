package io.stardust.engine.db;

import java.time.Duration;
import java.util.List;

/** The wait before retry number {@code attempt} (1-based). */
@FunctionalInterface
public interface Backoff {

    Duration delay(int attempt);

    /** {@code initial}, doubling each attempt, never above {@code max}: 1 s, 2 s, 4 s … 30 s, 30 s, … */
    static Backoff exponential(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got initial=" + initial + ", max=" + max);
        }
        return attempt -> {
            Duration d = initial;
            for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(max) > 0 ? max : d;
        };
    }

    /** The same wait before every retry ({@link Duration#ZERO}: retry at once). */
    static Backoff fixed(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a backoff delay must not be negative, got " + delay);
        }
        return attempt -> delay;
    }

    /** The given delays in order; the last one repeats. */
    static Backoff schedule(List<Duration> delays) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a backoff schedule needs at least one delay");
        }
        List<Duration> copy = List.copyOf(delays);
        return attempt -> copy.get(Math.max(0, Math.min(attempt, copy.size()) - 1));
    }
}
