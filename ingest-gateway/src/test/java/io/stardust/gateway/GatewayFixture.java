package io.stardust.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A fresh database and fresh topics for one test, the gateway's configuration pointing at them (as properties
 * and as the environment of a child JVM), and helpers to produce, read events and query MySQL.
 */
final class GatewayFixture implements AutoCloseable {
    final TestDatabase db;
    final EmbeddedKafka kafka;
    final HikariDataSource ds;
    final StarDust engine;
    final String topic;
    final String eventsTopic;
    final String dlqTopic;
    final String group;
    final int partitions;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private KafkaProducer<String, String> producer;
    private KafkaProducer<byte[], byte[]> bytesProducer;

    GatewayFixture(TestDatabase db, EmbeddedKafka kafka, int partitions) {
        this.db = db;
        this.kafka = kafka;
        this.partitions = partitions;
        db.reset();
        this.ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 4, "test");
        this.engine = StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());
        engine.bootstrap();
        String run = UUID.randomUUID().toString().substring(0, 8);
        this.topic = "entries-" + run;
        this.eventsTopic = "events-" + run;
        this.dlqTopic = "dlq-" + run;
        this.group = "gw-" + run;
        kafka.createTopic(topic, partitions);
        kafka.createTopic(eventsTopic, 3);
        kafka.createTopic(dlqTopic, 1);
        settings.put("dsn", db.jdbcUrl());
        settings.put("user", db.user());
        settings.put("pass", db.password());
        settings.put("poolSize", "4");
        settings.put("kafkaBootstrap", kafka.bootstrapServers());
        settings.put("gatewayGroupId", group);
        settings.put("gatewayInstanceId", group + "-1");
        settings.put("gatewayTopic", topic);
        settings.put("gatewayEventsTopic", eventsTopic);
        settings.put("gatewaySessionTimeout", "6s");
        settings.put("gatewayMetricsPort", "0");
        settings.put("gatewayRetryBackoffMax", "1s");
        settings.put("gatewayRelayIdle", "50ms");
    }

    GatewayFixture set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    GatewayConfig config() {
        Properties p = new Properties();
        p.putAll(settings);
        return GatewayConfig.from(GatewayConfig.definition().resolve(p, Map.of()));
    }

    /** The settings as the environment of a child JVM: STARDUST_ + upper snake case. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        GatewayConfig.definition().options().forEach(o -> {
            String v = settings.get(o.key());
            if (v != null) {
                env.put(o.envName(), v);
            }
        });
        return env;
    }

    ModelDefinition companyModel(long tenant) {
        return modelWithSlots(tenant, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("seq", DeclaredType.INT, true));
    }

    /** A model whose filterable fields each hold an indexed slot (one page per call). */
    ModelDefinition modelWithSlots(long tenant, String name, FieldSpec... fields) {
        ModelDefinition def = engine.defineModel(tenant, name, List.of(fields));
        List<String> indexed = new ArrayList<>();
        Map<String, Integer> next = new HashMap<>();
        for (FieldSpec f : fields) {
            if (f.filterable()) {
                indexed.add(String.format("i_%s_%02d", f.type().family(), next.merge(f.type().family(), 1, Integer::sum)));
            }
        }
        if (!indexed.isEmpty()) {
            engine.provisionPage(indexed);
            for (FieldSpec f : fields) {
                if (f.filterable()) {
                    engine.reserveSlot(def.fieldId(f.name())).orElseThrow();
                }
            }
        }
        return def;
    }

    KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            // tombstones keyed tenantId/model/key go where the tenant's records keyed tenantId go
            p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TenantPartitioner.class.getName());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** Raw bytes, any partition, any headers: for records no serializer would produce. */
    KafkaProducer<byte[], byte[]> bytesProducer() {
        if (bytesProducer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1 << 20));
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            bytesProducer = new KafkaProducer<>(p);
        }
        return bytesProducer;
    }

    void send(String key, String value) {
        try {
            producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sum of the topic's end offsets: how many records MySQL must have accounted for. */
    long endOffsets(String t) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            int n = admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size();
            for (int i = 0; i < n; i++) {
                q.put(new TopicPartition(t, i), OffsetSpec.latest());
            }
            return admin.listOffsets(q).all().get().values().stream().mapToLong(v -> v.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long storedOffsets() {
        return count("SELECT COALESCE(SUM(next_offset), 0) FROM stardust_ingest_offsets WHERE consumer_group = ? AND topic = ?",
                group, topic);
    }

    /** Waits until every record in the topic is durable (its position stored) and every event is published. */
    void awaitIngested(Duration timeout) {
        long end = endOffsets(topic);
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> storedOffsets() == end
                && count("SELECT COUNT(*) FROM stardust_entry_events") == 0);
    }

    /** Every record of a topic from the beginning, until {@code done} says enough was read. */
    List<ConsumerRecord<String, String>> readAll(String t, java.util.function.Predicate<List<ConsumerRecord<String, String>>> done,
                                                 Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(t));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Events published so far, parsed; waits until at least {@code atLeast} are there. */
    List<JsonNode> events(int atLeast) {
        return readAll(eventsTopic, l -> l.size() >= atLeast, Duration.ofSeconds(60)).stream()
                .map(r -> parse(r.value())).collect(Collectors.toList());
    }

    static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void exec(String sql) {
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql, Object... args) {
        List<List<Object>> r = rows(sql, args);
        return r.isEmpty() || r.get(0).get(0) == null ? 0 : ((Number) r.get(0).get(0)).longValue();
    }

    List<List<Object>> rows(String sql, Object... args) {
        return EngineFixture.rows(ds, sql, args);
    }

    /** Live keyed entries of a tenant's model: key → value of {@code field} in the payload. */
    Map<String, String> liveByKey(long tenant, int model, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<Object> r : rows("SELECT k.entry_key, JSON_UNQUOTE(JSON_EXTRACT(e.fields, ?)) FROM stardust_entry_keys k"
                + " JOIN entry_data e ON e.id = k.entry_id AND e.deleted_at IS NULL WHERE k.tenant_id = ? AND k.model_id = ?"
                + " ORDER BY k.entry_key", "$." + field, tenant, model)) {
            out.put((String) r.get(0), (String) r.get(1));
        }
        return out;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (bytesProducer != null) {
            bytesProducer.close(Duration.ofSeconds(5));
        }
        ds.close();
    }
}
