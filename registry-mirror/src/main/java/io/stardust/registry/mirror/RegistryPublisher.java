package io.stardust.registry.mirror;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.stardust.engine.event.EventLog;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's batch handler: publishes each batch in binlog order, waits for every acknowledgement, and only then
 * marks the records processed, so the engine stores a position only for changes Kafka has. A crash anywhere
 * re-reads from the stored position: changes are published at least once, never lost. A failed send throws, which
 * stops the engine without marking the batch.
 */
final class RegistryPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final ChangeEventMapper mapper = new ChangeEventMapper();
    private final MirrorMetrics metrics;
    private final EventLog events = new EventLog("registry_mirror");

    RegistryPublisher(Producer<byte[], byte[]> producer, String topic, MirrorMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<RegistryChange> changes = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> r : records) {
            Optional<RegistryChange> change = mapper.map(r.record());
            if (change.isEmpty()) {
                continue; // heartbeats: nothing to publish, but marking them moves the stored position on
            }
            RegistryChange c = change.get();
            byte[] key = RegistryChangeCodec.encodeKey(c);
            acks.add(producer.send(new ProducerRecord<>(topic, key, RegistryChangeCodec.encodeValue(c))));
            if (c.op() == Op.DELETE) {
                // compaction then drops the row's history; followers skip the tombstone
                acks.add(producer.send(new ProducerRecord<>(topic, key, null)));
            }
            changes.add(c);
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                metrics.publishFailed();
                events.error("publish_failed", e.getCause(), "topic", topic, "changes", changes.size(),
                        "error", String.valueOf(e.getCause()));
                throw new IllegalStateException("publishing to " + topic + " failed: " + e.getCause(), e.getCause());
            }
        }
        for (RegistryChange c : changes) {
            metrics.published(c.table(), c.committedAt());
        }
        for (RecordChangeEvent<SourceRecord> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
        if (!changes.isEmpty()) {
            RegistryChange last = changes.get(changes.size() - 1);
            events.info("changes_published", "topic", topic, "changes", changes.size(), "binlog_file", last.source().file(),
                    "binlog_pos", last.source().pos());
        }
    }
}
