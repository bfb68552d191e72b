package io.stardust.registry.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A mirror configuration of its own for one test (fresh topic, offsets and history topics, name and server id),
 * as properties and as a child JVM's environment, and a reader of what the mirror published.
 */
final class MirrorFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabase db;
    final EmbeddedKafka kafka;
    final String topic;
    private final Map<String, String> settings = new LinkedHashMap<>();

    MirrorFixture(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
        String run = UUID.randomUUID().toString().substring(0, 8);
        this.topic = "registry-" + run;
        settings.put("dsn", db.jdbcUrl());
        settings.put("user", db.user());
        settings.put("pass", db.password());
        settings.put("kafkaBootstrap", kafka.bootstrapServers());
        settings.put("registryMirrorTopic", topic);
        settings.put("registryMirrorName", "mirror-" + run);
        settings.put("registryMirrorServerId", Integer.toString(10_000 + Math.floorMod(run.hashCode(), 50_000)));
        settings.put("registryMirrorOffsetsTopic", "mirror-offsets-" + run);
        settings.put("registryMirrorHistoryTopic", "mirror-history-" + run);
        settings.put("registryMirrorOffsetFlushInterval", "200ms");
        settings.put("registryMirrorHeartbeatInterval", "1s");
        settings.put("registryMirrorMetricsPort", "0");
    }

    MirrorFixture set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    String get(String key) {
        return settings.get(key);
    }

    RegistryMirrorConfig config() {
        Properties p = new Properties();
        p.putAll(settings);
        return RegistryMirrorConfig.from(RegistryMirrorConfig.definition().resolve(p, Map.of()));
    }

    /** The settings as the environment of a child JVM: STARDUST_ + upper snake case. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        RegistryMirrorConfig.definition().options().forEach(o -> {
            String v = settings.get(o.key());
            if (v != null) {
                env.put(o.envName(), v);
            }
        });
        return env;
    }

    /** A published record: key and value parsed (value null for a tombstone). */
    record Published(int partition, long offset, JsonNode key, JsonNode value) {
        String table() {
            return key.get("table").asText();
        }
    }

    /** Everything on the registry topic from the beginning, until {@code done} holds or the timeout passes. */
    List<Published> read(Predicate<List<Published>> done, Duration timeout) {
        return read(topic, done, timeout);
    }

    List<Published> read(String t, Predicate<List<Published>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Published> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(t));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new Published(r.partition(), r.offset(), parse(r.key()), r.value() == null ? null : parse(r.value())));
                }
            }
        }
        return out;
    }

    static JsonNode parse(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
