package io.stardust.reconciler;

import io.stardust.daemon.Sleeper;
import io.stardust.engine.db.Sql;
import io.stardust.engine.event.EventLog;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Retries a chunk that lost a lock conflict (MySQL 1205 lock-wait timeout, 1213 deadlock): up to
 * {@code reconcilerLockRetryBudget} retries, each logged as {@code deadlock_retry} and preceded by
 * {@code reconcilerLockRetryDelayMicros}; then the error propagates. The chunk itself rolled back, so a retry
 * redoes it from its committed checkpoint.
 */
final class LockRetry {
    private final int budget;
    private final Duration delay;
    private final Sleeper sleeper;
    private final EventLog events;

    LockRetry(int budget, Duration delay, Sleeper sleeper, EventLog events) {
        this.budget = budget;
        this.delay = delay;
        this.sleeper = sleeper;
        this.events = events;
    }

    <T> T run(String queue, String chunkCorrelationId, Callable<T> chunk) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return chunk.call();
            } catch (Exception e) {
                boolean lock = Sql.isDeadlock(e) || Sql.errorCode(e) == Sql.ER_LOCK_WAIT_TIMEOUT;
                if (!lock || attempt > budget) {
                    throw e;
                }
                events.warning("deadlock_retry", "correlation_id", chunkCorrelationId, "queue", queue,
                        "attempt", attempt, "error_code", Sql.errorCode(e));
                if (!delay.isZero()) {
                    sleeper.sleep(delay);
                }
            }
        }
    }
}
