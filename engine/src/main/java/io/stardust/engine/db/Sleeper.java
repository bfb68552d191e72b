package io.stardust.engine.db;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a duration. Injected wherever retries or poll loops wait, so unit tests run them against a fake that
 * only records (and can act on) the requested sleeps, and a process can use a sleep that a stop request cuts short.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps up to {@code duration}; an implementation may return early (callers re-check their state anyway). */
    void sleep(Duration duration) throws InterruptedException;

    /** Plain {@link TimeUnit#sleep}. */
    static Sleeper system() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                TimeUnit.NANOSECONDS.sleep(d.toNanos());
            }
        };
    }
}
