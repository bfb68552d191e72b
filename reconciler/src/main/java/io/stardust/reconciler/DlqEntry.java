package io.stardust.reconciler;

import java.time.LocalDateTime;

/**
 * One row of {@code stardust_reconciler_dlq}.
 *
 * @param entryId    null for bulk-import rows
 * @param retryCount how many times this entry was already replayed from the DLQ (the loop guard's count)
 */
public record DlqEntry(long id, String source, Long entryId, long tenantId, int modelId, String reason,
                       String errorMessage, LocalDateTime failedAt, int retryCount, String chunkCorrelationId) {

    static final String COLUMNS = "id, source, entry_id, tenant_id, model_id, reason, error_message, failed_at,"
            + " retry_count, chunk_correlation_id";

    static DlqEntry read(java.sql.ResultSet rs) throws java.sql.SQLException {
        long entry = rs.getLong("entry_id");
        Long entryId = rs.wasNull() ? null : entry;
        return new DlqEntry(rs.getLong("id"), rs.getString("source"), entryId, rs.getLong("tenant_id"),
                rs.getInt("model_id"), rs.getString("reason"), rs.getString("error_message"),
                io.stardust.engine.db.Sql.dateTime(rs, "failed_at"), rs.getInt("retry_count"),
                rs.getString("chunk_correlation_id"));
    }
}
