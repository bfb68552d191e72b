package io.stardust.daemon;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a duration. Injected everywhere the daemon machinery waits, so unit tests run the loop against a fake
 * that only records (and can act on) the requested sleeps, and the production runner can use a sleep that a
 * signal cuts short ({@link ShutdownSignal#sleeper()}).
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps up to {@code duration}; an implementation may return early (callers re-check shutdown anyway). */
    void sleep(Duration duration) throws InterruptedException;

    /** Plain {@link Thread#sleep}. */
    static Sleeper system() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                TimeUnit.NANOSECONDS.sleep(d.toNanos());
            }
        };
    }
}
