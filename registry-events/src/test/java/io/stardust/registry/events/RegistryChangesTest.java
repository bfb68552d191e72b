package io.stardust.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.stardust.registry.events.RegistryChangeCodecTest.wire;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class RegistryChangesTest {

    @Test
    void aFollowerDeliversEachChangeOnceInOrderSkippingResentChangesTombstonesAndMalformedRecords(EmbeddedKafka kafka)
            throws Exception {
        String topic = "registry-follow-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        RegistryChange v1 = RegistryChangeCodecTest.change(Op.UPDATE, 1, 1, "binlog.000001", 100, 0);
        RegistryChange v2 = RegistryChangeCodecTest.change(Op.UPDATE, 1, 2, "binlog.000001", 200, 0);
        RegistryChange v3 = RegistryChangeCodecTest.change(Op.UPDATE, 1, 3, "binlog.000002", 4, 0);
        RegistryChange gone = RegistryChangeCodecTest.change(Op.DELETE, 2, 1, "binlog.000002", 50, 0);
        try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
            // v2 re-sent after a (simulated) mirror restart, a delete and its tombstone, one record that is not JSON
            for (RegistryChange c : List.of(v1, v2, v2, v3)) {
                p.send(new ProducerRecord<>(topic, RegistryChangeCodec.encodeKey(c), RegistryChangeCodec.encodeValue(c))).get();
            }
            p.send(new ProducerRecord<>(topic, RegistryChangeCodec.encodeKey(gone), RegistryChangeCodec.encodeValue(gone))).get();
            p.send(new ProducerRecord<>(topic, RegistryChangeCodec.encodeKey(gone), null)).get();
            p.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8))).get();
        }
        List<RegistryChange> seen = new CopyOnWriteArrayList<>();
        List<String> malformed = new CopyOnWriteArrayList<>();
        RegistryChanges.Listener listener = new RegistryChanges.Listener() {
            @Override
            public void change(RegistryChange change) {
                seen.add(change);
            }

            @Override
            public void malformed(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record,
                                  MalformedRegistryChangeException error) {
                malformed.add(error.getMessage());
            }
        };
        Map<Integer, Long> resumeAt;
        try (RegistryChanges follower = RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()), topic,
                RegistryChanges.Start.earliest(), listener)) {
            follower.caughtUp().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(seen.stream().map(RegistryChangeCodecTest::wire)).containsExactly(wire(v1), wire(v2), wire(v3), wire(gone));
            assertThat(malformed).singleElement().asString().contains("not JSON");
            assertThat(follower.duplicatesDropped()).isEqualTo(1);
            resumeAt = follower.positions();
        }
        assertThat(resumeAt).containsEntry(0, 7L);

        // resuming from the stored positions delivers only what came after
        RegistryChange v4 = RegistryChangeCodecTest.change(Op.UPDATE, 1, 4, "binlog.000002", 90, 0);
        try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
            p.send(new ProducerRecord<>(topic, RegistryChangeCodec.encodeKey(v4), RegistryChangeCodec.encodeValue(v4))).get();
        }
        List<RegistryChange> resumed = new CopyOnWriteArrayList<>();
        try (RegistryChanges follower = RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()), topic,
                RegistryChanges.Start.at(resumeAt), resumed::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !resumed.isEmpty());
            assertThat(resumed.stream().map(RegistryChangeCodecTest::wire)).containsExactly(wire(v4));
        }
    }

    @Test
    void followingATopicThatDoesNotExistFailsNamingIt(EmbeddedKafka kafka) {
        String topic = "registry-missing-" + UUID.randomUUID();
        assertThatThrownBy(() -> RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "allow.auto.create.topics", "false", "default.api.timeout.ms", "3000"), topic, RegistryChanges.Start.earliest(), c -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(topic);
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
