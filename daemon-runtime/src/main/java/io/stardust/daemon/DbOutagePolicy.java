package io.stardust.daemon;

import io.stardust.engine.db.Backoff;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.event.EventLog;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides whether a failed tick is a database outage to ride out or a fatal error, and paces the retries.
 * Upstream daemons die on the first lost connection and rely on a supervisor restart; here a transient
 * outage ({@link DbErrorKind#OUTAGE}: the server or the connection, not the statement) is retried after a growing delay, indefinitely, and the
 * schedule starts over after the next successful tick. Each failure logs {@code db_unavailable}, the first
 * success after an outage logs {@code db_recovered} (see {@link DaemonEvents}).
 *
 * <p>One instance per loop; not thread-safe (the loop is single-threaded).
 */
public final class DbOutagePolicy {

    private final String daemonName;
    private final Backoff backoff;
    private final Predicate<Throwable> isTransient;
    private final EventLog events;
    private final String correlationId;
    private final Clock clock;
    private int failedAttempts;
    private Instant outageStart;

    public DbOutagePolicy(String daemonName, Backoff backoff, Predicate<Throwable> isTransient, EventLog events,
                          String correlationId, Clock clock) {
        this.daemonName = daemonName;
        this.backoff = backoff;
        this.isTransient = isTransient;
        this.events = events;
        this.correlationId = correlationId;
        this.clock = clock;
    }

    /** Retries what {@link DbErrorKind} classifies as an outage, with {@code backoff}. */
    public static DbOutagePolicy standard(String daemonName, Backoff backoff, EventLog events, String correlationId,
                                          Clock clock) {
        return new DbOutagePolicy(daemonName, backoff, DbErrorKind.OUTAGE::matches, events, correlationId, clock);
    }

    /**
     * A failed tick: the delay to wait before ticking again, after logging {@code db_unavailable}; empty when the
     * error is not an outage and the daemon must stop.
     */
    public Optional<Duration> onFailure(Throwable error) {
        if (!isTransient.test(error)) {
            return Optional.empty();
        }
        failedAttempts++;
        if (outageStart == null) {
            outageStart = clock.instant();
        }
        Duration delay = backoff.delay(failedAttempts);
        SQLException sql = firstSqlException(error);
        events.warning(DaemonEvents.DB_UNAVAILABLE,
                "correlation_id", correlationId,
                "daemon", daemonName,
                "attempt", failedAttempts,
                "delay_ms", delay.toMillis(),
                "error_class", error.getClass().getName(),
                "sql_state", sql == null ? null : sql.getSQLState(),
                "error_code", sql == null ? null : sql.getErrorCode(),
                "error_message", String.valueOf(error.getMessage()));
        return Optional.of(delay);
    }

    /** A successful tick: logs {@code db_recovered} if it ends an outage, and resets the schedule. */
    public void onSuccess() {
        if (failedAttempts == 0) {
            return;
        }
        events.info(DaemonEvents.DB_RECOVERED,
                "correlation_id", correlationId,
                "daemon", daemonName,
                "failed_attempts", failedAttempts,
                "outage_ms", Duration.between(outageStart, clock.instant()).toMillis());
        failedAttempts = 0;
        outageStart = null;
    }

    /** Failures since the last successful tick. */
    public int failedAttempts() {
        return failedAttempts;
    }

    private static SQLException firstSqlException(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 64; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
