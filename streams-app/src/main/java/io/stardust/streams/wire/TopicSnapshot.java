package io.stardust.streams.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic once, committed records only, to the end offsets it had when the read started: how the CLI
 * reads the compacted status and progress topics and the rejected topic. No consumer group is used.
 */
public final class TopicSnapshot {
    private TopicSnapshot() {
    }

    public static List<ConsumerRecord<String, String>> read(String bootstrap, String topic, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            while (parts.stream().anyMatch(tp -> c.position(tp, timeout) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The latest value per key (null values drop the key), in first-seen key order. */
    public static Map<String, ConsumerRecord<String, String>> latest(List<ConsumerRecord<String, String>> records) {
        Map<String, ConsumerRecord<String, String>> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r);
            }
        }
        return out;
    }
}
