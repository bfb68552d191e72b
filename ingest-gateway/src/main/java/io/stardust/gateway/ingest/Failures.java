package io.stardust.gateway.ingest;

import io.stardust.engine.db.Sql;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database error caused by the data of a batch (retrying cannot help) from an infrastructure error
 * (server down or restarting, connection lost, pool exhausted, deadlock, lock wait timeout), which is retried.
 * When in doubt an error counts as infrastructure: retrying a data error only delays, skipping good data loses it.
 */
public final class Failures {
    private Failures() {
    }

    /** True only for SQLSTATE class 22 (data exception) and 23 (integrity constraint) other than lock and key conflicts. */
    public static boolean isDataError(Throwable t) {
        SQLException s = Sql.sqlCause(t);
        if (s == null || s instanceof SQLTransientException || s instanceof SQLRecoverableException) {
            return false;
        }
        int code = s.getErrorCode();
        // Duplicate keys cannot come from a record (entry ids are generated, keys and DLQ rows upsert): they mean a
        // rival gateway created the same offsets row first, which the retry detects as fencing.
        if (code == Sql.ER_LOCK_DEADLOCK || code == Sql.ER_LOCK_WAIT_TIMEOUT || code == Sql.ER_DUP_ENTRY) {
            return false;
        }
        String state = s.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}
