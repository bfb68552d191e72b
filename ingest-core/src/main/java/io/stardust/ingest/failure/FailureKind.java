package io.stardust.ingest.failure;

import io.stardust.engine.db.DbErrorKind;

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

    /**
     * The engine's one classification ({@link DbErrorKind}), folded for the gateway: a lost lock race (deadlock,
     * lock wait timeout) is retried like an outage, since retrying the whole batch is the remedy for both.
     */
    public static FailureKind of(Throwable t) {
        return switch (DbErrorKind.of(t)) {
            case OUTAGE, CONFLICT -> OUTAGE;
            case DATA -> DATA;
            case OTHER -> OTHER;
        };
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
