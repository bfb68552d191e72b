package io.stardust.ingest.source;

import io.stardust.engine.outbox.ImportOrigin;

/**
 * A source record as the write path needs it: where it came from and its raw bytes (either may be null), and the
 * file-import line it carries, if any ({@code origin}: written into its outbox event or its DLQ row).
 */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestampMs,
                           ImportOrigin origin) {

    public SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestampMs) {
        this(topic, partition, offset, key, value, timestampMs, null);
    }

    public SourcePartition source() {
        return new SourcePartition(topic, partition);
    }

    public int sizeBytes() {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }
}
