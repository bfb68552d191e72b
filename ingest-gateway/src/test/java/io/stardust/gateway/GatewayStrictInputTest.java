package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that are not exactly one strict JSON envelope, or whose text or numbers would be stored as something else,
 * are quarantined with a reason instead of being partly written; tombstone keys name tenants canonically only.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayStrictInputTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private Gateway gateway;
    private int company;

    GatewayStrictInputTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 2);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("seq", DeclaredType.INT, true), new FieldSpec("city", DeclaredType.STRING, false)).modelId();
        fx.modelWithSlots(2, "company", new FieldSpec("name", DeclaredType.STRING, true));
        gateway = Gateway.start(fx.config());
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        fx.close();
    }

    private static String envelope(long tenant, String key, String fields) {
        return "{\"tenantId\":" + tenant + ",\"model\":\"company\",\"key\":\"" + key + "\",\"fields\":" + fields + "}";
    }

    /** Reason and message of the DLQ row of each quarantined value. */
    private Map<String, List<Object>> dlqByValue() {
        Map<String, List<Object>> out = new HashMap<>();
        for (List<Object> r : fx.rows("SELECT record_value, reason, error_message FROM stardust_ingest_dlq WHERE record_value IS NOT NULL")) {
            out.put(new String((byte[]) r.get(0), StandardCharsets.UTF_8), List.of(r.get(1), r.get(2)));
        }
        return out;
    }

    @Test
    void contentAfterTheEnvelopeDuplicateKeysAndInvalidTextAreQuarantinedWholeAndIngestionContinues() throws Exception {
        Map<String, String> poison = new LinkedHashMap<>();
        poison.put(envelope(1, "t1", "{\"name\":\"first\"}") + envelope(1, "t2", "{\"name\":\"second\"}"), "not_json");
        poison.put(envelope(1, "t3", "{\"name\":\"x\"}") + "xyz", "not_json");
        poison.put("{\"tenantId\":1,\"model\":\"company\",\"key\":\"t4\",\"fields\":{\"name\":\"dup\"},\"tenantId\":2}", "not_json");
        poison.put(envelope(1, "t5", "{\"name\":\"a\",\"name\":\"b\"}"), "not_json");
        poison.put(envelope(1, "t6", "{\"name\":\"\\ud800\"}"), "malformed_envelope");
        poison.put(envelope(1, "t7", "{\"city\":{\"lines\":[\"ok\",\"\\udc00\"]}}"), "malformed_envelope");
        poison.put(envelope(1, "t8", "{\"b\\ud800d\":1}"), "malformed_envelope");
        poison.put(envelope(1, "t9\\ud800", "{\"name\":\"x\"}"), "malformed_envelope");
        poison.put(envelope(1, "t10", "{\"seq\":1e400}"), "uncoercible_value");
        poison.put(envelope(1, "t11", "{\"city\":1e400}"), "uncoercible_value");
        poison.put(envelope(1, "t12", "{\"extra\":[1e-400]}"), "uncoercible_value");
        for (String value : poison.keySet()) {
            fx.send("1", value);
        }
        byte[] overlong = envelope(1, "t13", "{\"name\":\"A\"}").replace("\"A\"", "\"\u0000\"").getBytes(StandardCharsets.UTF_8);
        overlong = replaceNul(overlong);
        try (KafkaProducer<String, byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>(fx.topic, "1", overlong)).get();
        }
        fx.send("1", envelope(1, "good", "{\"name\":\"after\",\"seq\":1,\"city\":-0.0}"));
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, company, "name")).as("only the good record, nothing of the poison").containsExactly(
                Map.entry("good", "after"));
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE tenant_id = 2")).as("the duplicate tenantId did not win").isZero();
        Map<String, List<Object>> dlq = dlqByValue();
        poison.forEach((value, reason) -> assertThat(dlq.get(value)).as(value).isNotNull().first().isEqualTo(reason));
        assertThat((String) dlq.get(poison.keySet().iterator().next()).get(1)).contains("unexpected content after the JSON value");
        assertThat((String) dlq.get(envelope(1, "t5", "{\"name\":\"a\",\"name\":\"b\"}")).get(1)).contains("Duplicate field 'name'");
        assertThat((String) dlq.get(envelope(1, "t7", "{\"city\":{\"lines\":[\"ok\",\"\\udc00\"]}}")).get(1))
                .contains("city.lines[1]", "unpaired UTF-16 surrogate");
        String hugeInt = (String) dlq.get(envelope(1, "t10", "{\"seq\":1e400}")).get(1);
        assertThat(hugeInt).contains("field 'seq'", "outside the range of a double").doesNotContain("NumberFormatException");
        assertThat((String) dlq.get(envelope(1, "t11", "{\"city\":1e400}")).get(1)).contains("field 'city'");
        assertThat(fx.rows("SELECT reason, error_message FROM stardust_ingest_dlq WHERE record_value = ?", (Object) overlong).get(0))
                .first().isEqualTo("not_json");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq WHERE reason = 'internal_error'")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data") + fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq"))
                .as("every offset is an entry or a DLQ row").isEqualTo(fx.endOffsets(fx.topic));
        assertThat(fx.rows("SELECT JSON_EXTRACT(fields, '$.city') FROM entry_data").get(0).get(0)).isEqualTo("-0.0");
    }

    /** {@code C0 80}: an overlong encoding of U+0000 that a lenient decoder reads as a NUL character. */
    private static byte[] replaceNul(byte[] utf8) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte b : utf8) {
            if (b == 0) {
                out.write(0xC0);
                out.write(0x80);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TenantPartitioner.class.getName());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    @Test
    void tombstoneKeysWithNonCanonicalTenantOrModelIdsAreQuarantinedAndDeleteNothing() {
        for (String key : List.of("g1", "g2", "g3", "g4", "g5")) {
            fx.send("1", envelope(1, key, "{\"name\":\"" + key + "\"}"));
        }
        fx.awaitIngested(Duration.ofSeconds(60));
        List<String> bad = List.of("\uFF11/company/g2", "+1/company/g3", "01/company/g4", "1/#0" + company + "/g5",
                "1/#+" + company + "/g5", "0/company/g1");
        for (String key : bad) {
            fx.send(key, null);
        }
        fx.send("1/#" + company + "/g1", null); // canonical: deletes
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, company, "name")).containsOnlyKeys("g2", "g3", "g4", "g5");
        Map<String, String> reasons = new HashMap<>();
        fx.rows("SELECT record_key, reason FROM stardust_ingest_dlq").forEach(
                r -> reasons.put(new String((byte[]) r.get(0), StandardCharsets.UTF_8), (String) r.get(1)));
        assertThat(reasons).hasSize(bad.size());
        bad.forEach(k -> assertThat(reasons).as(k).containsEntry(k, "malformed_tombstone_key"));
    }
}
