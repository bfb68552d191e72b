package io.stardust.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class EmbeddedKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EmbeddedKafka kafka;

    EmbeddedKafkaTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @Test
    void idempotentProducerRoundTripOverThreePartitions() throws Exception {
        kafka.createTopic("round-trip", 3);
        Set<Integer> partitions = new HashSet<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (RecordMetadata m : sendAll(producer, "round-trip", 0, 60)) {
                partitions.add(m.partition());
            }
        }
        assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2);

        List<ConsumerRecord<String, String>> records;
        try (KafkaConsumer<String, String> consumer = consumer("round-trip-group", "round-trip")) {
            records = consume(consumer, 60);
        }
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 60).mapToObj(i -> "v" + i).toList());
        Map<String, List<Integer>> perKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            perKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(r.value().substring(1)));
        }
        assertThat(perKey).hasSize(6);
        perKey.values().forEach(seq -> assertThat(seq).isSorted());
    }

    @Test
    void restartKeepsRecordsAndCommittedGroupOffsets() throws Exception {
        kafka.createTopic("restart-keeps", 2);
        try (KafkaProducer<String, String> producer = producer()) {
            sendAll(producer, "restart-keeps", 0, 10);
            try (KafkaConsumer<String, String> consumer = consumer("restart-group", "restart-keeps")) {
                assertThat(consume(consumer, 10)).hasSize(10);
                consumer.commitSync();
            }

            kafka.restart();
            assertThat(kafka.isRunning()).isTrue();

            try (Admin admin = Admin.create(kafka.clientProperties())) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets("restart-group").partitionsToOffsetAndMetadata().get();
                assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(10);
            }
            // the producer created before the restart reconnects to the same address
            sendAll(producer, "restart-keeps", 10, 5);
        }
        try (KafkaConsumer<String, String> consumer = consumer("restart-group", "restart-keeps")) {
            assertThat(consume(consumer, 5)).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("v10", "v11", "v12", "v13", "v14");
        }
        try (KafkaConsumer<String, String> consumer = consumer("restart-fresh-group", "restart-keeps")) {
            assertThat(consume(consumer, 15)).hasSize(15);
        }
    }

    @Test
    void crashThenRestartStillServesAckedRecords() throws Exception {
        kafka.createTopic("crash-survivor", 1);
        try (KafkaProducer<String, String> producer = producer()) {
            sendAll(producer, "crash-survivor", 0, 20);
        }

        kafka.crash();
        assertThat(kafka.isRunning()).isFalse();
        kafka.restart();

        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicPartition tp = new TopicPartition("crash-survivor", 0);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset())
                    .isEqualTo(20);
        }
        try (KafkaConsumer<String, String> consumer = consumer("crash-group", "crash-survivor")) {
            assertThat(consume(consumer, 20)).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "v" + i).toList());
        }
    }

    @Test
    void createTopicAppliesTopicConfigs() throws Exception {
        kafka.createTopic("compacted-state", 1, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "compacted-state");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            ConfigEntry policy = config.get("cleanup.policy");
            assertThat(policy.value()).isEqualTo("compact");
            assertThat(policy.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(config.get("min.compaction.lag.ms").value()).isEqualTo("0");
            assertThat(admin.describeTopics(List.of("compacted-state")).allTopicNames().get()
                    .get("compacted-state").partitions()).hasSize(1);
        }
        assertThatThrownBy(() -> kafka.createTopic("compacted-state", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group, String topic) {
        Map<String, Object> props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Sends {@code v<from>..v<from+count-1>} keyed {@code k<i % 6>} and waits for every ack. */
    private static List<RecordMetadata> sendAll(KafkaProducer<String, String> producer, String topic, int from, int count)
            throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            acks.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 6), "v" + i)));
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (Future<RecordMetadata> ack : acks) {
            out.add(ack.get());
        }
        return out;
    }

    /** Polls until {@code expected} records have arrived, and checks that no more came with them. */
    private static List<ConsumerRecord<String, String>> consume(KafkaConsumer<String, String> consumer, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(WAIT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return records.size() >= expected;
                });
        assertThat(records).hasSize(expected);
        return records;
    }
}
