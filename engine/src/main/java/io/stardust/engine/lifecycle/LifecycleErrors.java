package io.stardust.engine.lifecycle;

import io.stardust.engine.db.Sql;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Which errors a lifecycle chunk passes to its driver instead of failing its checkpoint: lock conflicts (the driver
 * retries them) and a lost or unreachable database (the daemon's outage policy waits for it). Anything else means
 * the job itself cannot proceed.
 */
final class LifecycleErrors {
    private LifecycleErrors() {
    }

    static boolean isRetryableOrOutage(Throwable e) {
        if (Sql.isDeadlock(e) || Sql.errorCode(e) == Sql.ER_LOCK_WAIT_TIMEOUT) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if ((state != null && state.startsWith("08")) || s.getErrorCode() == 2006 || s.getErrorCode() == 2013) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The reason stored in {@code backfill_checkpoints.last_error} (512 characters at most). */
    static String reason(Throwable e) {
        String m = e.getClass().getSimpleName() + ": " + (e.getMessage() == null ? "" : e.getMessage());
        return m.length() > 512 ? m.substring(0, 509) + "..." : m;
    }
}
