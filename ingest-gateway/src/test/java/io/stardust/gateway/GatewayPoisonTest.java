package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.engine.db.UtcClock;
import io.stardust.ingest.dlq.DlqFilter;
import io.stardust.ingest.dlq.DlqReplayer;
import io.stardust.ingest.dlq.DlqRow;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Poison records among good ones: the good land, the poison is quarantined with its reason, replay lands it once. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayPoisonTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private Gateway gateway;

    GatewayPoisonTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 2).set("gatewayDlqTopic", "x").set("gatewayMaxRecordBytes", "4096");
        fx.set("gatewayDlqTopic", fx.dlqTopic);
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        fx.close();
    }

    /** Poison records by the reason they must be quarantined with. */
    private static Map<String, List<String>> poison() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("not_json", List.of("not json {", "{\"tenantId\":1,"));
        p.put("malformed_envelope", List.of("[1,2]", "{\"tenantId\":\"1\",\"model\":\"company\",\"fields\":{}}",
                "{\"tenantId\":1,\"model\":\"company\"}", "{\"tenantId\":1,\"model\":\"company\",\"modelId\":1,\"fields\":{}}",
                "{\"tenantId\":1,\"model\":\"company\",\"key\":7,\"fields\":{}}",
                "{\"tenantId\":1,\"model\":\"company\",\"key\":\"" + "k".repeat(256) + "\",\"fields\":{}}"));
        p.put("invalid_tenant", List.of("{\"tenantId\":0,\"model\":\"company\",\"fields\":{}}"));
        p.put("unknown_tenant", List.of("{\"tenantId\":999,\"model\":\"company\",\"fields\":{}}"));
        p.put("unknown_model", List.of("{\"tenantId\":1,\"model\":\"invoice\",\"key\":\"inv-1\",\"fields\":{\"total\":5}}",
                "{\"tenantId\":1,\"model\":\"invoice\",\"key\":\"inv-2\",\"fields\":{\"total\":6}}",
                "{\"tenantId\":1,\"model\":\"invoice\",\"fields\":{\"total\":7}}"));
        p.put("uncoercible_value", List.of("{\"tenantId\":1,\"model\":\"company\",\"key\":\"bad\",\"fields\":{\"seq\":\"lots\"}}"));
        p.put("too_large", List.of("{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"name\":\"" + "x".repeat(5000) + "\"}}"));
        return p;
    }

    @Test
    void everyGoodRecordLandsEveryPoisonRecordIsQuarantinedAndReplayLandsThemOnce() throws Exception {
        int company = fx.companyModel(1).modelId();
        gateway = Gateway.start(fx.set("gatewayBatchMaxRecords", "50").config());
        Map<String, List<String>> poison = poison();
        List<String[]> poisonRecords = new java.util.ArrayList<>();
        poison.forEach((reason, values) -> values.forEach(v -> poisonRecords.add(new String[] {reason, "1", v})));
        poisonRecords.add(new String[] {"malformed_tombstone_key", "garbage-key", null});
        poisonRecords.add(new String[] {"unknown_model", "1/invoice/inv-1", null});
        int good = 300;
        int p = 0;
        for (int i = 0; i < good; i++) {
            fx.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(fx.topic, "1",
                    "{\"tenantId\":1,\"model\":\"company\",\"key\":\"k" + i + "\",\"fields\":{\"seq\":" + i + "}}"));
            if (i % 17 == 5 && p < poisonRecords.size()) {
                String[] r = poisonRecords.get(p++);
                fx.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(fx.topic, r[1], r[2]));
            }
        }
        while (p < poisonRecords.size()) {
            String[] r = poisonRecords.get(p++);
            fx.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(fx.topic, r[1], r[2]));
        }
        fx.producer().flush();
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, company, "seq")).hasSize(good);
        Map<String, Long> expectedReasons = new TreeMap<>();
        poisonRecords.forEach(r -> expectedReasons.merge(r[0], 1L, Long::sum));
        Map<String, Long> quarantined = new TreeMap<>();
        fx.rows("SELECT reason, COUNT(*) FROM stardust_ingest_dlq GROUP BY reason")
                .forEach(r -> quarantined.put((String) r.get(0), ((Number) r.get(1)).longValue()));
        assertThat(quarantined).isEqualTo(expectedReasons);
        // nothing skipped silently: every offset is an entry or a DLQ row
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data") + fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq"))
                .isEqualTo(fx.endOffsets(fx.topic));
        List<Object> sample = fx.rows("SELECT source_topic, record_value, tenant_id, attempt_count, error_message FROM stardust_ingest_dlq"
                + " WHERE reason = 'uncoercible_value'").get(0);
        assertThat(sample.get(0)).isEqualTo(fx.topic);
        assertThat(new String((byte[]) sample.get(1), StandardCharsets.UTF_8)).contains("\"lots\"");
        assertThat(((Number) sample.get(2)).longValue()).isEqualTo(1);
        assertThat((String) sample.get(4)).contains("seq");

        // ... and copied to the DLQ topic with Connect-style headers
        List<ConsumerRecord<String, String>> dlqTopic = fx.readAll(fx.dlqTopic, l -> l.size() >= poisonRecords.size(),
                Duration.ofSeconds(30));
        assertThat(dlqTopic).hasSize(poisonRecords.size());
        Header offset = dlqTopic.get(0).headers().lastHeader("__connect.errors.offset");
        assertThat(offset).isNotNull();
        assertThat(dlqTopic.get(0).headers().lastHeader("__connect.errors.exception.message")).isNotNull();

        // the operator's view (ingest:dlq:list --reason=unknown_model; the commands themselves are tested in cli/)
        DlqReplayer replayer = new DlqReplayer(fx.ds, new RecordPlanner(new ModelResolver(), 4096),
                new UtcClock(Clock.systemUTC()), 4096);
        DlqFilter unknownModel = new DlqFilter(List.of(), "unknown_model", null, null, null, 100);
        List<DlqRow> listed = replayer.matching(unknownModel);
        assertThat(listed).hasSize(4).allSatisfy(r -> assertThat(r.reason()).isEqualTo("unknown_model"));
        assertThat(listed).anySatisfy(r -> assertThat(r.errorMessage()).contains("invoice"));

        // the operator fixes the cause: creates the model; a dry run changes nothing
        int invoice = fx.modelWithSlots(1, "invoice", new FieldSpec("total", DeclaredType.INT, true)).modelId();
        DlqReplayer.Report dry = replayer.replay(unknownModel, 5, true, n -> { });
        assertThat(List.of(dry.matched(), dry.landed())).containsExactly(4, 4);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq WHERE reason = 'unknown_model'")).isEqualTo(4);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", invoice)).isZero();

        DlqReplayer.Report replay = replayer.replay(unknownModel, 5, false, n -> { });
        assertThat(List.of(replay.matched(), replay.landed(), replay.stillFailed())).containsExactly(4, 4, 0);
        // offset order: inv-1 written, inv-2 written, unkeyed written, then the tombstone of inv-1
        assertThat(fx.liveByKey(1, invoice, "total")).containsExactly(Map.entry("inv-2", "6"));
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", invoice)).isEqualTo(3);
        assertThat(replayer.matching(unknownModel)).as("nothing left to replay").isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", invoice)).as("landed exactly once").isEqualTo(3);

        // a record whose cause is not fixed stays quarantined with one more attempt, until the attempt limit
        long badId = fx.count("SELECT id FROM stardust_ingest_dlq WHERE reason = 'uncoercible_value'");
        DlqFilter bad = new DlqFilter(List.of(badId), null, null, null, null, 100);
        DlqReplayer.Report again = replayer.replay(bad, 2, false, n -> { });
        assertThat(List.of(again.matched(), again.landed(), again.stillFailed())).containsExactly(1, 0, 1);
        assertThat(again.failures()).extracting(r -> r.reason().code()).containsExactly("uncoercible_value");
        assertThat(fx.count("SELECT attempt_count FROM stardust_ingest_dlq WHERE id = ?", badId)).isEqualTo(2);
        DlqReplayer.Report limited = replayer.replay(bad, 2, false, n -> { });
        assertThat(List.of(limited.matched(), limited.landed(), limited.stillFailed(), limited.overLimit()))
                .containsExactly(1, 0, 0, 1);
        assertThat(fx.storedOffsets()).isEqualTo(fx.endOffsets(fx.topic));
    }

    @Test
    void aRecordWithAnOversizedKeyEndsInTheDlqAndIngestionContinues() throws Exception {
        int company = fx.companyModel(1).modelId();
        gateway = Gateway.start(fx.set("gatewayMaxRecordBytes", "1048576").config());
        byte[] key = new byte[5000];
        new java.util.Random(5000).nextBytes(key);
        byte[] value = "not json at all!".getBytes(StandardCharsets.UTF_8);
        fx.bytesProducer().send(new ProducerRecord<>(fx.topic, 0, key, value)).get();
        for (int i = 0; i < 40; i++) {
            fx.bytesProducer().send(new ProducerRecord<>(fx.topic, i % 2, ("g" + i).getBytes(StandardCharsets.UTF_8),
                    ("{\"tenantId\":1,\"model\":\"company\",\"key\":\"g" + i + "\",\"fields\":{\"seq\":" + i + "}}")
                            .getBytes(StandardCharsets.UTF_8)));
        }
        fx.bytesProducer().flush();
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, company, "seq")).as("good records after it, on its partition and the other").hasSize(40);
        List<List<Object>> dlq = fx.rows("SELECT reason, source_partition, source_offset, LENGTH(record_key), record_key_bytes,"
                + " record_key_sha256, record_value, record_value_bytes FROM stardust_ingest_dlq");
        assertThat(dlq).hasSize(1);
        List<Object> row = dlq.get(0);
        assertThat(row.subList(0, 5)).containsExactly("not_json", 0, 0L, 4096L, 5000);
        assertThat(row.get(5)).isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key)));
        assertThat((byte[]) row.get(6)).isEqualTo(value);
        assertThat(row.get(7)).isEqualTo(16);
        assertThat(fx.storedOffsets()).isEqualTo(fx.endOffsets(fx.topic));
    }

    @Test
    void aDlqRowMySqlRefusesIsStoredWithoutKeyAndValueAndTheBatchCommits() throws Exception {
        int company = fx.companyModel(1).modelId();
        // stands in for whatever MySQL may refuse in a DLQ row: a data error on exactly this record's row
        fx.exec("CREATE TRIGGER refuse_marked_dlq_rows BEFORE INSERT ON stardust_ingest_dlq FOR EACH ROW BEGIN"
                + " IF NEW.record_value = 'refuse me' THEN SIGNAL SQLSTATE '22001' SET MESSAGE_TEXT = 'refused by the test';"
                + " END IF; END");
        List<String> values = List.of("{\"tenantId\":1,\"model\":\"company\",\"key\":\"a\",\"fields\":{\"seq\":1}}", "not json",
                "refuse me", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"b\",\"fields\":{\"seq\":2}}", "[1]");
        for (String v : values) {
            fx.bytesProducer().send(new ProducerRecord<>(fx.topic, 0, "k".getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
        }
        fx.bytesProducer().flush();
        gateway = Gateway.start(fx.config());
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, company, "seq")).containsOnlyKeys("a", "b");
        assertThat(fx.rows("SELECT source_offset, reason, record_value IS NULL, record_key IS NULL, record_value_bytes,"
                + " record_value_sha256 FROM stardust_ingest_dlq ORDER BY source_offset").toString())
                .isEqualTo("[[1, not_json, 0, 0, 8, " + sha256("not json") + "], [2, not_json, 1, 1, 9, " + sha256("refuse me")
                        + "], [4, malformed_envelope, 0, 0, 3, " + sha256("[1]") + "]]");
        assertThat((String) fx.rows("SELECT error_message FROM stardust_ingest_dlq WHERE source_offset = 2").get(0).get(0))
                .contains("MySQL refused the full DLQ row (SQLSTATE 22001: ", "refused by the test", "value is not JSON");
        assertThat(fx.storedOffsets()).isEqualTo(fx.endOffsets(fx.topic));
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
