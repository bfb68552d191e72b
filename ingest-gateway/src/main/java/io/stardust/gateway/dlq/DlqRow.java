package io.stardust.gateway.dlq;

import java.time.LocalDateTime;

/** One quarantined record of {@code stardust_ingest_dlq}. */
public record DlqRow(long id, String reason, String errorMessage, String topic, int partition, long offset,
                     byte[] recordKey, byte[] recordValue, Long tenantId, LocalDateTime receivedAt, int attemptCount,
                     LocalDateTime lastAttemptAt) {
}
