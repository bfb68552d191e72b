package io.stardust.streams.drop;

import io.stardust.streams.wire.ImportProgress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every import's last committed progress, read from the compacted progress topic when the reader starts (after
 * {@code initTransactions}, so a transaction the previous incarnation left open is already resolved) and kept up
 * to date by the reader's own commits.
 */
final class ProgressLog {
    private final Map<String, ImportProgress> byImport = new HashMap<>();

    static ProgressLog load(String bootstrap, String topic, Duration timeout) {
        ProgressLog log = new ProgressLog();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            while (parts.stream().anyMatch(tp -> c.position(tp, timeout) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        log.byImport.put(r.key(), ImportProgress.fromJson(r.value()));
                    }
                }
            }
        }
        return log;
    }

    Optional<ImportProgress> get(String importId) {
        return Optional.ofNullable(byImport.get(importId));
    }

    void committed(ImportProgress p) {
        byImport.put(p.importId(), p);
    }
}
