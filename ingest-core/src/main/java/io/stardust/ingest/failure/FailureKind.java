package io.stardust.ingest.failure;

import io.stardust.engine.db.Sql;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * The gateway's one classification of a failed database statement, which every retry decision in the gateway
 * uses (batch writer, DLQ store, replay, relay, position loading):
 * <ul>
 *   <li>{@link #OUTAGE}: the server or the connection, not the statement (server down or restarting, connection
 *       lost, pool exhausted, deadlock, lock wait timeout, read-only during a failover). Retried with backoff;
 *       nothing is advanced or quarantined.</li>
 *   <li>{@link #DATA}: SQLSTATE class 22 (data exception) or 23 (integrity constraint), or a statement too large
 *       for {@code max_allowed_packet}: the statement's data, so the same statement can never succeed. Never
 *       retried as an outage: the batch is split and the record MySQL refuses is quarantined.</li>
 *   <li>{@link #OTHER}: anything else (unknown table or column, access denied, syntax, an exception without an
 *       SQL cause). Not the record's fault as far as anyone can tell, so a batch is retried (an operator must act,
 *       and the event says so); where a single DLQ row is concerned, a smaller row is tried instead.</li>
 * </ul>
 */
public enum FailureKind {
    OUTAGE,
    DATA,
    OTHER;

    /** MySQL error codes of server states that pass: lock waits, deadlocks, shutdown, failover, kills, timeouts. */
    private static final Set<Integer> OUTAGE_CODES = Set.of(
            Sql.ER_LOCK_WAIT_TIMEOUT, Sql.ER_LOCK_DEADLOCK,
            1040,  // ER_CON_COUNT_ERROR: too many connections
            1053,  // ER_SERVER_SHUTDOWN
            1290,  // ER_OPTION_PREVENTS_STATEMENT: --read-only / --super-read-only (failover in progress)
            1317,  // ER_QUERY_INTERRUPTED
            1836,  // ER_READ_ONLY_MODE
            1927,  // ER_CONNECTION_KILLED
            3024,  // ER_QUERY_TIMEOUT: max_execution_time exceeded
            4031); // ER_CLIENT_INTERACTION_TIMEOUT: disconnected for inactivity

    public static FailureKind of(Throwable t) {
        SQLException s = Sql.sqlCause(t);
        if (s == null) {
            return OTHER;
        }
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        if (state.startsWith("22") || state.startsWith("23") || isPacketTooBig(s)) {
            return DATA;
        }
        if (s instanceof SQLTransientException || s instanceof SQLRecoverableException
                || OUTAGE_CODES.contains(s.getErrorCode())
                || state.startsWith("08") || state.startsWith("40") || state.startsWith("HYT") || state.equals("70100")) {
            return OUTAGE;
        }
        // Connection pool and driver errors without a state (acquisition interrupted, pool closed on shutdown).
        return state.isEmpty() ? OUTAGE : OTHER;
    }

    /**
     * The driver refuses, before sending, a statement larger than the server's {@code max_allowed_packet}; its
     * SQLSTATE is the generic S1000, so it is recognised by type (the gateway does not compile against the driver).
     */
    private static boolean isPacketTooBig(SQLException s) {
        return s.getClass().getSimpleName().equals("PacketTooBigException");
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
