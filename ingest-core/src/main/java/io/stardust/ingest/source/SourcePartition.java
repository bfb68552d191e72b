package io.stardust.ingest.source;

/**
 * One ordered stream of source records (a Kafka topic partition, for the gateway): the unit whose position is
 * stored with the data and whose records are applied in offset order. Transport-neutral, so the core does not
 * depend on a Kafka client.
 */
public record SourcePartition(String topic, int partition) {

    /** {@code topic-partition}, as Kafka writes it, so log events read the same whatever the transport. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
