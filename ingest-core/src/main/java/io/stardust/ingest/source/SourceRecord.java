package io.stardust.ingest.source;

/** A source record as the write path needs it: where it came from and its raw bytes (either may be null). */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestampMs) {

    public SourcePartition source() {
        return new SourcePartition(topic, partition);
    }

    public int sizeBytes() {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }
}
