package io.stardust.gateway.consumer;

import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Conversions between Kafka's types and the ingest core's transport-neutral ones. */
public final class Partitions {
    private Partitions() {
    }

    public static TopicPartition kafka(SourcePartition sp) {
        return new TopicPartition(sp.topic(), sp.partition());
    }

    public static SourcePartition source(TopicPartition tp) {
        return new SourcePartition(tp.topic(), tp.partition());
    }

    public static List<SourcePartition> source(Collection<TopicPartition> partitions) {
        return partitions.stream().map(Partitions::source).toList();
    }

    public static SourceRecord record(ConsumerRecord<byte[], byte[]> r) {
        return new SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.timestamp(), ImportLineHeaders.origin(r.headers()));
    }
}
