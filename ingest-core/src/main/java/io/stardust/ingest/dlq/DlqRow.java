package io.stardust.ingest.dlq;

import java.time.LocalDateTime;

/**
 * One quarantined record of {@code stardust_ingest_dlq}. {@code keyBytes}/{@code valueBytes} and the SHA-256
 * hashes describe the record's original parts (null for a part the record did not have, and on rows written
 * before these columns existed, whose parts are stored whole); {@code recordKey}/{@code recordValue} are what is
 * stored, a prefix of a part longer than the store's cap, or nothing in a minimal row.
 */
public record DlqRow(long id, String reason, String errorMessage, String topic, int partition, long offset,
                     byte[] recordKey, byte[] recordValue, Long tenantId, LocalDateTime receivedAt, int attemptCount,
                     LocalDateTime lastAttemptAt, Integer keyBytes, String keySha256, Integer valueBytes,
                     String valueSha256) {

    /** Whether the stored key is the whole original key. */
    public boolean keyComplete() {
        return keyBytes == null || (recordKey != null && recordKey.length == keyBytes);
    }

    /** Whether the stored value is the whole original value (a tombstone's null value is). */
    public boolean valueComplete() {
        return valueBytes == null || (recordValue != null && recordValue.length == valueBytes);
    }

    /** Key plus value bytes of the original record. */
    public long originalBytes() {
        return orZero(originalKeyBytes()) + orZero(originalValueBytes());
    }

    /** Length of the record's key; null when it had none. */
    public Integer originalKeyBytes() {
        return keyBytes != null ? keyBytes : recordKey == null ? null : recordKey.length;
    }

    public String originalKeySha256() {
        return keySha256 != null ? keySha256 : IngestDlqStore.sha256(recordKey);
    }

    /** Length of the record's value; null for a tombstone. */
    public Integer originalValueBytes() {
        return valueBytes != null ? valueBytes : recordValue == null ? null : recordValue.length;
    }

    public String originalValueSha256() {
        return valueSha256 != null ? valueSha256 : IngestDlqStore.sha256(recordValue);
    }

    private static long orZero(Integer n) {
        return n == null ? 0 : n;
    }
}
