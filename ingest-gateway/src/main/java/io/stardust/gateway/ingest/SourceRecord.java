package io.stardust.gateway.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record as the write path needs it: where it came from and its raw bytes (either may be null). */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestampMs) {

    public static SourceRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.timestamp());
    }

    public int sizeBytes() {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }
}
