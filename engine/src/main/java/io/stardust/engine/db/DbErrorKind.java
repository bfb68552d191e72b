package io.stardust.engine.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * The one classification of a failed database call that every retry decision in the project uses (daemons' outage
 * policy, chunk retries in the Reconciler, Liberator and engine, the ingest writer):
 * <ul>
 *   <li>{@link #OUTAGE}: the server or the connection, not the statement: server down, restarting or shutting down,
 *       connection lost or refused (SQLSTATE class {@code 08}, client errors 2006/2013), pool exhausted
 *       ({@link java.sql.SQLTransientConnectionException}), too many connections, read-only during a failover, a
 *       killed or timed-out query, a driver or pool error without an SQLSTATE. Waiting and retrying helps.</li>
 *   <li>{@link #CONFLICT}: the transaction lost a race with another one: deadlock (1213), lock wait timeout (1205),
 *       SQLSTATE class {@code 40} (transaction rollback, e.g. {@code 40001}). Retrying the rolled-back unit of work
 *       soon helps.</li>
 *   <li>{@link #DATA}: SQLSTATE class {@code 22} (data exception) or {@code 23} (integrity constraint), a value
 *       error reported as HY000 (1366, 1292, 1265), or a
 *       statement larger than {@code max_allowed_packet}: the statement's data, so the same statement can never
 *       succeed. Never retried.</li>
 *   <li>{@link #OTHER}: anything else (unknown table or column, access denied, syntax, an exception without an SQL
 *       cause). An operator must act.</li>
 * </ul>
 * The first {@link SQLException} found in the cause chain decides (its {@link SQLException#getNextException()}
 * chain is searched too when the first one says nothing more specific than "other").
 */
public enum DbErrorKind {
    OUTAGE,
    CONFLICT,
    DATA,
    OTHER;

    public static final int ER_CON_COUNT_ERROR = 1040;
    public static final int ER_SERVER_SHUTDOWN = 1053;
    /** {@code --read-only} / {@code --super-read-only}: a failover in progress. */
    public static final int ER_OPTION_PREVENTS_STATEMENT = 1290;
    public static final int ER_QUERY_INTERRUPTED = 1317;
    public static final int ER_READ_ONLY_MODE = 1836;
    public static final int ER_CONNECTION_KILLED = 1927;
    /** {@code max_execution_time} exceeded. */
    public static final int ER_QUERY_TIMEOUT = 3024;
    /** Disconnected by the server for inactivity. */
    public static final int ER_CLIENT_INTERACTION_TIMEOUT = 4031;
    /** Client error: MySQL server has gone away. */
    public static final int CR_SERVER_GONE_ERROR = 2006;
    /** Client error: lost connection to MySQL server during query. */
    public static final int CR_SERVER_LOST = 2013;

    private static final Set<Integer> OUTAGE_CODES = Set.of(ER_CON_COUNT_ERROR, ER_SERVER_SHUTDOWN,
            ER_OPTION_PREVENTS_STATEMENT, ER_QUERY_INTERRUPTED, ER_READ_ONLY_MODE, ER_CONNECTION_KILLED,
            ER_QUERY_TIMEOUT, ER_CLIENT_INTERACTION_TIMEOUT, CR_SERVER_GONE_ERROR, CR_SERVER_LOST);
    private static final Set<Integer> CONFLICT_CODES = Set.of(Sql.ER_LOCK_WAIT_TIMEOUT, Sql.ER_LOCK_DEADLOCK);
    /**
     * Value errors MySQL reports with the generic SQLSTATE HY000 rather than class 22: incorrect value for a column
     * (1366), truncated incorrect value (1292), data truncated (1265). Retrying the same statement cannot help.
     */
    private static final Set<Integer> DATA_CODES = Set.of(1366, 1292, 1265);
    private static final int MAX_DEPTH = 64;

    /** The kind of {@code error}; {@link #OTHER} when nothing in its cause chain is an {@link SQLException}. */
    public static DbErrorKind of(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int depth = 0;
        for (Throwable t = error; t != null && depth < MAX_DEPTH && seen.add(t); t = t.getCause(), depth++) {
            if (t instanceof SQLException sql) {
                return ofChain(sql, seen);
            }
        }
        return OTHER;
    }

    /** Whether {@code error} is of this kind. */
    public boolean matches(Throwable error) {
        return of(error) == this;
    }

    /** Lower-case name for logs and metrics: {@code outage}, {@code conflict}, {@code data}, {@code other}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static DbErrorKind ofChain(SQLException first, Set<Throwable> seen) {
        DbErrorKind kind = ofItself(first);
        int depth = 0;
        // a batch failure often says "other" at the top and names the real cause in its next-exception chain
        for (SQLException next = first.getNextException(); kind == OTHER && next != null && depth < MAX_DEPTH
                && seen.add(next); next = next.getNextException(), depth++) {
            kind = ofItself(next);
        }
        return kind;
    }

    private static DbErrorKind ofItself(SQLException s) {
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        int code = s.getErrorCode();
        if (state.startsWith("22") || state.startsWith("23") || DATA_CODES.contains(code) || isPacketTooBig(s)) {
            return DATA;
        }
        // before the outage test: SQLTransactionRollbackException is also an SQLTransientException
        if (CONFLICT_CODES.contains(code) || state.startsWith("40")) {
            return CONFLICT;
        }
        if (s instanceof SQLTransientException || s instanceof SQLRecoverableException || OUTAGE_CODES.contains(code)
                || state.startsWith("08") || state.startsWith("HYT") || state.equals("70100")) {
            return OUTAGE;
        }
        // Connection pool and driver errors without a state (acquisition interrupted, pool closed on shutdown).
        return state.isEmpty() ? OUTAGE : OTHER;
    }

    /**
     * The driver refuses, before sending, a statement larger than the server's {@code max_allowed_packet}; its
     * SQLSTATE is the generic S1000, so it is recognised by type name (nothing here compiles against the driver).
     */
    private static boolean isPacketTooBig(SQLException s) {
        return s.getClass().getSimpleName().equals("PacketTooBigException");
    }
}
