package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.plan.RejectReason;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whatever a record holds, it ends as exactly one write or exactly one DLQ row, and the stored positions reach
 * the end of every partition. Random records (empty, binary, invalid UTF-8, not JSON, JSON that is not an
 * envelope, malformed and valid envelopes, values MySQL refuses, values and keys up to and past
 * {@code gatewayMaxRecordBytes}, many headers) interleaved with known-good ones, through a real broker and MySQL.
 * The seed is fixed; {@code -Dstardust.gateway.property.seed=N} replays another run, and a failure names its seed.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayRecordPropertyTest {
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final int RANDOM_RECORDS = 10_000;
    private static final int PARTITIONS = 3;

    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private Gateway gateway;

    GatewayRecordPropertyTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, PARTITIONS).set("gatewayMaxRecordBytes", Integer.toString(MAX_RECORD_BYTES))
                .set("gatewayBatchMaxRecords", "500");
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        fx.close();
    }

    /** What a generated record must become; {@link #EITHER} when the contract leaves it open (e.g. CESU-8 text). */
    private enum Expect { WRITTEN, QUARANTINED, EITHER }

    /** A produced record: what it must become, its envelope's probe (if it has one), its parts' lengths and hashes. */
    private record Sent(Expect expect, String probe, Integer keyBytes, String keySha, Integer valueBytes, String valueSha) {
    }

    @Test
    void everyRecordBecomesExactlyOneWriteOrOneDlqRowAndPositionsReachTheEnd() throws Exception {
        long seed = Long.getLong("stardust.gateway.property.seed", 20_240_611L);
        try {
            run(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("property failed with seed " + seed + " (rerun with -Dstardust.gateway.property.seed="
                    + seed + "): " + e.getMessage(), e);
        }
    }

    private void run(long seed) throws Exception {
        int company = fx.companyModel(1).modelId();
        gateway = Gateway.start(fx.config());
        Shapes shapes = new Shapes(new Random(seed), company);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<Shapes.Gen> gens = new ArrayList<>();
        for (int i = 0; i < RANDOM_RECORDS; i++) {
            if (i % 5 == 0) {
                send(shapes.good(), shapes, acks, gens);
            }
            // MySQL's refusals are rare in real traffic, and each one costs its batch a bisection: one in a thousand
            send(i % 1000 == 500 ? shapes.refusedByMySql() : shapes.any(), shapes, acks, gens);
        }
        fx.bytesProducer().flush();
        Map<String, Sent> byOffset = new HashMap<>();
        for (int i = 0; i < acks.size(); i++) {
            RecordMetadata md = acks.get(i).get();
            Shapes.Gen g = gens.get(i);
            byOffset.put(md.partition() + "@" + md.offset(), new Sent(g.expect(), g.probe(), len(g.key()),
                    IngestDlqStore.sha256(g.key()), len(g.value()), IngestDlqStore.sha256(g.value())));
        }
        assertThat(fx.endOffsets(fx.topic)).isEqualTo(byOffset.size());
        fx.awaitIngested(Duration.ofSeconds(150));

        Map<String, Integer> writtenProbes = new HashMap<>();
        for (List<Object> r : fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.probe')) FROM entry_data")) {
            writtenProbes.merge(String.valueOf(r.get(0)), 1, Integer::sum);
        }
        assertThat(writtenProbes.values()).as("no record written twice").allMatch(n -> n == 1);
        Set<String> validReasons = new HashSet<>();
        Arrays.stream(RejectReason.values()).forEach(r -> validReasons.add(r.code()));
        Map<String, List<Object>> dlq = new HashMap<>();
        for (List<Object> r : fx.rows("SELECT source_partition, source_offset, reason, LENGTH(record_key), LENGTH(record_value),"
                + " record_key_bytes, record_key_sha256, record_value_bytes, record_value_sha256 FROM stardust_ingest_dlq")) {
            dlq.put(r.get(0) + "@" + r.get(1), r);
        }
        int written = 0;
        for (Map.Entry<String, Sent> e : byOffset.entrySet()) {
            Sent s = e.getValue();
            boolean isWritten = s.probe() != null && writtenProbes.containsKey(s.probe());
            List<Object> row = dlq.get(e.getKey());
            assertThat(isWritten ^ row != null).as("offset %s (%s) is exactly one write or one DLQ row", e.getKey(), s.expect())
                    .isTrue();
            if (s.expect() == Expect.WRITTEN) {
                assertThat(isWritten).as("offset %s must be written, DLQ row: %s", e.getKey(), row).isTrue();
            } else if (s.expect() == Expect.QUARANTINED) {
                assertThat(row).as("offset %s must be quarantined", e.getKey()).isNotNull();
            }
            if (isWritten) {
                written++;
            } else {
                assertThat((String) row.get(2)).isIn(validReasons);
                assertThat(row.get(3) == null ? 0L : ((Number) row.get(3)).longValue()).isLessThanOrEqualTo(IngestDlqStore.KEY_CAP);
                assertThat(row.get(4) == null ? 0L : ((Number) row.get(4)).longValue()).isLessThanOrEqualTo(MAX_RECORD_BYTES);
                assertThat(Arrays.asList(row.get(5), row.get(6), row.get(7), row.get(8))).as("original lengths and hashes of %s", e.getKey())
                        .containsExactly(s.keyBytes(), s.keySha(), s.valueBytes(), s.valueSha());
            }
        }
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).as("no entry without its record").isEqualTo(written);
        assertThat(dlq).as("no DLQ row without its record").hasSize(byOffset.size() - written);
        assertThat(fx.storedOffsets()).isEqualTo(fx.endOffsets(fx.topic));
        assertThat(dlq.values().stream().map(r -> (String) r.get(2)).distinct())
                .as("the random shapes reach every planning outcome and MySQL's refusals")
                .contains("not_json", "malformed_envelope", "malformed_tombstone_key", "invalid_tenant", "unknown_tenant",
                        "unknown_model", "uncoercible_value", "too_large", "rejected_by_database");
    }

    private void send(Shapes.Gen g, Shapes shapes, List<Future<RecordMetadata>> acks, List<Shapes.Gen> gens) {
        gens.add(g);
        acks.add(fx.bytesProducer().send(new ProducerRecord<>(fx.topic, shapes.partition(), null, g.key(), g.value(), g.headers())));
    }

    private static Integer len(byte[] b) {
        return b == null ? null : b.length;
    }

    /** Generators of record shapes; every envelope carries a unique {@code probe} (a JSON-only field) to find it by. */
    private static final class Shapes {
        record Gen(byte[] key, byte[] value, RecordHeaders headers, Expect expect, String probe) {
        }

        private final Random rnd;
        private final int companyId;
        private int probes;

        Shapes(Random rnd, int companyId) {
            this.rnd = rnd;
            this.companyId = companyId;
        }

        int partition() {
            return rnd.nextInt(PARTITIONS);
        }

        /** A well-formed upsert (or insert) of model company that fits: must be written. */
        Gen good() {
            String probe = probe();
            byte[] key = kafkaKey();
            ObjectNode env = envelope(probe, rnd.nextInt(4) != 0);
            byte[] value = bytes(env);
            int room = MAX_RECORD_BYTES - value.length - (key == null ? 0 : key.length) - 16;
            if (rnd.nextInt(20) == 0 && room > 0) { // up to the limit
                ((ObjectNode) env.get("fields")).put("pad", "p".repeat(rnd.nextInt(room)));
                value = bytes(env);
            }
            if (value.length + (key == null ? 0 : key.length) > MAX_RECORD_BYTES) {
                key = null;
            }
            return new Gen(key, value, headers(), Expect.WRITTEN, probe);
        }

        Gen any() {
            int r = rnd.nextInt(100);
            if (r < 2) {
                return tooLarge();
            }
            if (r < 4) {
                return hugeKey();
            }
            return switch (r % 12) {
                case 0 -> new Gen(kafkaKey(), new byte[0], headers(), Expect.QUARANTINED, null); // empty value
                case 1 -> new Gen(randomBytes(size()), randomBytes(size()), headers(), Expect.QUARANTINED, null); // binary
                case 2 -> new Gen(kafkaKey(), text(size()).getBytes(StandardCharsets.UTF_8), headers(), Expect.QUARANTINED, null);
                case 3 -> invalidUtf8();
                case 4 -> notAnEnvelope();
                case 5, 6 -> malformedEnvelope();
                case 7 -> unknownOrInvalidTenantOrModel();
                case 8 -> uncoercible();
                case 9 -> tombstone();
                default -> good();
            };
        }

        private Gen invalidUtf8() {
            String probe = probe();
            byte[] prefix = ("{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"probe\":\"" + probe + "\",\"name\":\"")
                    .getBytes(StandardCharsets.UTF_8);
            byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, 0x41},
                    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};
            int which = rnd.nextInt(bad.length);
            byte[] suffix = "\"}}".getBytes(StandardCharsets.UTF_8);
            byte[] v = concat(prefix, bad[which], suffix);
            // CESU-8 surrogates and overlong forms are not for the test to rule on: written or quarantined, once
            Expect e = which >= 4 ? Expect.EITHER : Expect.QUARANTINED;
            return new Gen(kafkaKey(), v, headers(), e, probe);
        }

        private Gen notAnEnvelope() {
            String[] json = {"[1,2,3]", "42", "\"text\"", "null", "true", "{}", "[]", "{\"tenantId\":1}", "  ", "{\"a\":" + "[".repeat(20)
                    + "]".repeat(20) + "}"};
            return new Gen(kafkaKey(), json[rnd.nextInt(json.length)].getBytes(StandardCharsets.UTF_8), headers(),
                    Expect.QUARANTINED, null);
        }

        private Gen malformedEnvelope() {
            String probe = probe();
            ObjectNode env = envelope(probe, true);
            switch (rnd.nextInt(9)) {
                case 0 -> env.put("tenantId", "1");
                case 1 -> env.remove("tenantId");
                case 2 -> env.put("model", "company").put("modelId", companyId);
                case 3 -> env.put("key", 7);
                case 4 -> env.put("key", probe + "k".repeat(256));
                case 5 -> env.put("key", "");
                case 6 -> env.put("fields", 5);
                case 7 -> env.remove("fields");
                default -> env.put("tenantId", 1.5);
            }
            return new Gen(kafkaKey(), bytes(env), headers(), Expect.QUARANTINED, probe);
        }

        private Gen unknownOrInvalidTenantOrModel() {
            String probe = probe();
            ObjectNode env = envelope(probe, true);
            switch (rnd.nextInt(6)) {
                case 0 -> env.put("tenantId", 0);
                case 1 -> env.put("tenantId", 777_000 + rnd.nextInt(1000));
                case 2 -> env.put("model", "nope_" + rnd.nextInt(100));
                case 3 -> env.put("model", "nope " + text(rnd.nextInt(300)));
                case 4 -> env.put("tenantId", new java.math.BigInteger("99999999999999999999"));
                default -> {
                    env.remove("model");
                    env.put("modelId", 999_999);
                }
            }
            return new Gen(kafkaKey(), bytes(env), headers(), Expect.QUARANTINED, probe);
        }

        private Gen uncoercible() {
            String probe = probe();
            ObjectNode env = envelope(probe, true);
            ObjectNode fields = (ObjectNode) env.get("fields");
            switch (rnd.nextInt(3)) {
                case 0 -> fields.put("seq", "lots");
                case 1 -> fields.putObject("seq").put("x", 1);
                default -> fields.put("name", "n".repeat(4097));
            }
            return new Gen(kafkaKey(), bytes(env), headers(), Expect.QUARANTINED, probe);
        }

        /** JSON deeper than MySQL's JSON type allows (100 levels): planned fine, refused by MySQL. */
        Gen refusedByMySql() {
            String probe = probe();
            ObjectNode env = envelope(probe, true);
            ArrayNode deep = ((ObjectNode) env.get("fields")).putArray("deep");
            for (int i = 0; i < 101 + rnd.nextInt(50); i++) {
                deep = deep.addArray();
            }
            return new Gen(kafkaKey(), bytes(env), headers(), Expect.QUARANTINED, probe);
        }

        private Gen tooLarge() {
            String probe = probe();
            ObjectNode env = envelope(probe, true);
            ((ObjectNode) env.get("fields")).put("pad", "x".repeat(MAX_RECORD_BYTES + rnd.nextInt(MAX_RECORD_BYTES / 4)));
            return new Gen(kafkaKey(), bytes(env), headers(), Expect.QUARANTINED, probe);
        }

        private Gen tombstone() {
            String[] keys = {"garbage", "1/company", "x/company/k", "0/company/k", "1/nope/k", "77777/company/k", "1//k",
                    "1/#0/k", "1/#abc/k", "1/company/" + "k".repeat(300)};
            byte[] key = switch (rnd.nextInt(4)) {
                case 0 -> null;
                case 1 -> randomBytes(size());
                default -> keys[rnd.nextInt(keys.length)].getBytes(StandardCharsets.UTF_8);
            };
            return new Gen(key, null, headers(), Expect.QUARANTINED, null);
        }

        private Gen hugeKey() {
            byte[] key = randomBytes(4097 + rnd.nextInt(MAX_RECORD_BYTES + 4096));
            if (rnd.nextBoolean()) {
                return new Gen(key, "not json at all!".getBytes(StandardCharsets.UTF_8), headers(), Expect.QUARANTINED, null);
            }
            String probe = probe();
            byte[] value = bytes(envelope(probe, true));
            // a valid envelope is written whatever its key, as long as key + value fit the limit
            return new Gen(key, value, headers(), key.length + value.length > MAX_RECORD_BYTES ? Expect.QUARANTINED : Expect.WRITTEN,
                    probe);
        }

        private ObjectNode envelope(String probe, boolean keyed) {
            ObjectNode env = Json.object();
            env.put("tenantId", 1);
            if (rnd.nextInt(4) == 0) {
                env.put("modelId", companyId);
            } else {
                env.put("model", rnd.nextBoolean() ? "company" : "COMPANY");
            }
            if (keyed) {
                env.put("key", probe + "-" + text(rnd.nextInt(40)).replace(" ", "_"));
            }
            ObjectNode fields = env.putObject("fields");
            fields.put("probe", probe);
            if (rnd.nextBoolean()) {
                fields.put("name", text(rnd.nextInt(200)));
            }
            if (rnd.nextBoolean()) {
                fields.put("seq", rnd.nextInt());
            }
            for (int i = rnd.nextInt(6); i > 0; i--) {
                fields.set("x_" + text(rnd.nextInt(12)), Json.mapper().valueToTree(jsonValue(3)));
            }
            return env;
        }

        private Object jsonValue(int depth) {
            int pick = rnd.nextInt(depth <= 0 ? 5 : 7);
            return switch (pick) {
                case 0 -> text(rnd.nextInt(30));
                case 1 -> rnd.nextLong();
                case 2 -> rnd.nextDouble() * 1e6;
                case 3 -> rnd.nextBoolean();
                case 4 -> "\u0000\t\"\\/\n" + text(3);
                case 5 -> {
                    List<Object> l = new ArrayList<>();
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        l.add(jsonValue(depth - 1));
                    }
                    yield l;
                }
                default -> {
                    Map<String, Object> m = new HashMap<>();
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        m.put(text(rnd.nextInt(8)), jsonValue(depth - 1));
                    }
                    yield m;
                }
            };
        }

        /** Kafka keys: none, empty, text, binary, or over the DLQ's 4096-byte key column. */
        private byte[] kafkaKey() {
            return switch (rnd.nextInt(10)) {
                case 0 -> null;
                case 1 -> new byte[0];
                case 2, 3 -> randomBytes(rnd.nextInt(64));
                case 4 -> randomBytes(4000 + rnd.nextInt(2000));
                default -> text(rnd.nextInt(20)).getBytes(StandardCharsets.UTF_8);
            };
        }

        private RecordHeaders headers() {
            RecordHeaders h = new RecordHeaders();
            int n = switch (rnd.nextInt(10)) {
                case 0 -> 100 + rnd.nextInt(200);
                case 1, 2 -> 1 + rnd.nextInt(10);
                default -> 0;
            };
            for (int i = 0; i < n; i++) {
                h.add(text(rnd.nextInt(10)), rnd.nextInt(10) == 0 ? null : randomBytes(rnd.nextInt(rnd.nextInt(50) == 0 ? 4096 : 32)));
            }
            return h;
        }

        /** Mostly small, sometimes up to and past the limit. */
        private int size() {
            int r = rnd.nextInt(1000);
            if (r < 900) {
                return rnd.nextInt(200);
            }
            if (r < 980) {
                return 200 + rnd.nextInt(4000);
            }
            if (r < 995) {
                return 4200 + rnd.nextInt(MAX_RECORD_BYTES - 4200);
            }
            return MAX_RECORD_BYTES + rnd.nextInt(MAX_RECORD_BYTES / 4);
        }

        /** Text from ASCII, Latin-1, CJK and astral planes (never a lone surrogate). */
        private String text(int codePoints) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < codePoints; i++) {
                int cp = switch (rnd.nextInt(5)) {
                    case 0, 1 -> 0x20 + rnd.nextInt(0x5f);
                    case 2 -> 0xa0 + rnd.nextInt(0x160);
                    case 3 -> 0x4e00 + rnd.nextInt(0x5000);
                    default -> 0x1f300 + rnd.nextInt(0x300);
                };
                b.appendCodePoint(cp);
            }
            return b.toString();
        }

        private byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            return b;
        }

        private String probe() {
            return "p" + (probes++);
        }

        private static byte[] bytes(ObjectNode n) {
            return Json.write(n).getBytes(StandardCharsets.UTF_8);
        }

        private static byte[] concat(byte[]... parts) {
            int n = 0;
            for (byte[] p : parts) {
                n += p.length;
            }
            byte[] out = new byte[n];
            int at = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        }
    }
}
