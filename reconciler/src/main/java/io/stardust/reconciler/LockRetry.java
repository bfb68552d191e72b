package io.stardust.reconciler;

import io.stardust.engine.db.Backoff;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.db.Retry;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.db.Sql;
import io.stardust.engine.event.EventLog;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Retries a chunk that lost a lock conflict ({@link DbErrorKind#CONFLICT}: MySQL 1205 lock-wait timeout, 1213
 * deadlock, SQLSTATE 40xxx): up to {@code reconcilerLockRetryBudget} retries, each logged as {@code deadlock_retry}
 * and preceded by {@code reconcilerLockRetryDelayMicros}; then the error propagates. The chunk itself rolled back,
 * so a retry redoes it from its committed checkpoint. The schedule is the shared {@link Retry}; this class only
 * adds the Reconciler's event.
 */
final class LockRetry {
    private final Retry retry;
    private final EventLog events;

    LockRetry(int budget, Duration delay, Sleeper sleeper, EventLog events) {
        this.retry = Retry.on(DbErrorKind.CONFLICT).maxRetries(budget).backoff(Backoff.fixed(delay)).sleeper(sleeper);
        this.events = events;
    }

    <T> T run(String queue, String chunkCorrelationId, Callable<T> chunk) throws Exception {
        return retry.call(chunk::call, (attempt, delay, kind, e) -> events.warning("deadlock_retry",
                "correlation_id", chunkCorrelationId, "queue", queue, "attempt", attempt,
                "error_code", Sql.errorCode(e)));
    }
}
