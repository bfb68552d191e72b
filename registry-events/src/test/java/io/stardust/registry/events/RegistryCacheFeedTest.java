package io.stardust.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class RegistryCacheFeedTest {

    /** What the feed told the cache, in order. */
    private static final class Recorder implements RegistryCacheFeed.Cache {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void following(boolean resumed) {
            calls.add(resumed ? "resumed" : "following");
        }

        @Override
        public void changed(RegistryChange change) {
            calls.add("change " + change.after().get("version").asLong());
        }

        @Override
        public void notFollowing(String reason) {
            calls.add("fallback: " + reason);
        }
    }

    @Test
    void theCacheFallsBackWhileTheTopicIsMissingOrGoneAndFollowsItFromItsEndWhenItIsThere(EmbeddedKafka kafka)
            throws Exception {
        String topic = "registry-feed-" + UUID.randomUUID();
        Recorder cache = new Recorder();
        try (RegistryCacheFeed feed = RegistryCacheFeed.start(Map.of("bootstrap.servers", kafka.bootstrapServers()), topic,
                Duration.ofMillis(500), cache)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !cache.calls.isEmpty());
            assertThat(cache.calls.get(0)).startsWith("fallback: ").contains(topic, "does not exist");

            kafka.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
            await().atMost(Duration.ofSeconds(20)).until(() -> cache.calls.contains("following"));
            publish(kafka, topic, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> cache.calls.contains("change 1"));

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.deleteTopics(List.of(topic)).all().get();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> cache.calls.size() > 3);
            assertThat(cache.calls.get(3)).startsWith("fallback: ").contains(topic);

            kafka.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
            await().atMost(Duration.ofSeconds(30)).until(() -> cache.calls.contains("resumed"));
            publish(kafka, topic, 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> cache.calls.contains("change 2"));
            assertThat(cache.calls).containsExactly(cache.calls.get(0), "following", "change 1", cache.calls.get(3),
                    "resumed", "change 2");
            assertThat(feed.running()).isTrue();
        }
    }

    private static void publish(EmbeddedKafka kafka, String topic, long version) throws Exception {
        RegistryChange c = RegistryChangeCodecTest.change(Op.UPDATE, 1, version, "binlog.000001", 100 * version, 0);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, RegistryChangeCodec.encodeKey(c), RegistryChangeCodec.encodeValue(c))).get();
        }
    }
}
