package io.stardust.reconciler;

import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Quarantines a poison sync-queue row in {@code stardust_reconciler_dlq}, inside the chunk's
 * transaction. The {@code dlq_inserted} event is returned, not logged: the caller logs it only after its commit, so
 * a chunk rolled back for a capacity wait leaves no event for a row that does not exist (decision Q12).
 */
public final class DlqWriter {
    /** Longest error message kept; the column is TEXT, and a message is a diagnosis, not a dump. */
    static final int MESSAGE_LIMIT = 1024;

    private final UtcClock clock;
    private final EventLog events;

    public DlqWriter(UtcClock clock, EventLog events) {
        this.clock = clock;
        this.events = events;
    }

    /** A DLQ insert to announce after commit. */
    public record Inserted(long dlqId, String correlationId, Long entryId, long tenantId, int modelId,
                           DlqReason reason, int retryCount) {
    }

    /**
     * Inserts a {@code sync_queue} DLQ row. {@code retryCount} carries how often the entry was already replayed
     * from the DLQ (the loop guard's count, from the queue row's {@code dlq_replays}; upstream always wrote 0).
     */
    public Inserted insert(Connection c, String chunkCorrelationId, long entryId, DlqReason reason, String message,
                           int retryCount) throws SQLException {
        long tenantId = 0;
        int modelId = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, model_id FROM entry_data WHERE id = ?")) {
            ps.setLong(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    tenantId = rs.getLong(1);
                    modelId = rs.getInt(2);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_reconciler_dlq (source, entry_id,"
                + " tenant_id, model_id, reason, error_message, failed_at, retry_count, chunk_correlation_id)"
                + " VALUES ('sync_queue', ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, entryId);
            ps.setLong(2, tenantId);
            ps.setInt(3, modelId);
            ps.setString(4, reason.wireName());
            ps.setString(5, truncate(message));
            ps.setObject(6, clock.now());
            ps.setInt(7, retryCount);
            ps.setString(8, chunkCorrelationId);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Inserted(keys.getLong(1), chunkCorrelationId, entryId, tenantId, modelId, reason, retryCount);
            }
        }
    }

    /** Logs {@code dlq_inserted} (warning); call after the transaction that inserted the row committed. */
    public void announce(Inserted row) {
        events.warning("dlq_inserted", "correlation_id", row.correlationId(), "dlq_source", "sync_queue",
                "dlq_id", row.dlqId(), "entry_id", row.entryId(), "tenant_id", row.tenantId(),
                "model_id", row.modelId(), "reason", row.reason().wireName(), "retry_count", row.retryCount());
    }

    private static String truncate(String message) {
        if (message == null || message.length() <= MESSAGE_LIMIT) {
            return message;
        }
        int end = MESSAGE_LIMIT;
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--; // never cut a code point in half
        }
        return message.substring(0, end);
    }
}
