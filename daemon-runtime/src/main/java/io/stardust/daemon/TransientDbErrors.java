package io.stardust.daemon;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Recognises "the database is unreachable right now" anywhere in an exception's cause chain (and in
 * {@link SQLException#getNextException()} chains), so a wrapped JDBC error is still seen:
 * <ul>
 *   <li>{@link SQLTransientConnectionException} — also what HikariCP throws when no connection becomes available
 *       within {@code connectionTimeout}, so no Hikari type is needed here;</li>
 *   <li>any {@link SQLException} whose SQLState is in class {@code 08} (connection exception; Connector/J's
 *       "Communications link failure" is {@code 08S01}, refused connects {@code 08001});</li>
 *   <li>MySQL client errors 2006 (server has gone away) and 2013 (lost connection during query).</li>
 * </ul>
 * Everything else — syntax errors, constraint violations, deadlocks, lock-wait timeouts — is not an outage.
 */
public final class TransientDbErrors {
    public static final int CR_SERVER_GONE_ERROR = 2006;
    public static final int CR_SERVER_LOST = 2013;
    private static final int MAX_DEPTH = 64;

    private TransientDbErrors() {
    }

    public static boolean isTransient(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return scan(error, seen, 0);
    }

    private static boolean scan(Throwable t, Set<Throwable> seen, int depth) {
        for (Throwable cur = t; cur != null && depth < MAX_DEPTH && seen.add(cur); cur = cur.getCause(), depth++) {
            if (isTransientItself(cur)) {
                return true;
            }
            if (cur instanceof SQLException sql && sql.getNextException() != null
                    && scan(sql.getNextException(), seen, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientItself(Throwable t) {
        if (t instanceof SQLTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            int code = sql.getErrorCode();
            return (state != null && state.startsWith("08")) || code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST;
        }
        return false;
    }
}
