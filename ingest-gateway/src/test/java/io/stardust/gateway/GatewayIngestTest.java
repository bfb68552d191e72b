package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.ModelDefinition;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway in this JVM against the real broker and MySQL: the input contract, ordering, events, metrics. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayIngestTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private Gateway gateway;

    GatewayIngestTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 3);
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        fx.close();
    }

    @Test
    void upsertsByKeyAndTombstonesBehaveAsDocumented() {
        ModelDefinition company = fx.companyModel(1);
        int m = company.modelId();
        gateway = Gateway.start(fx.config());
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"acme\",\"fields\":{\"name\":\"Acme\",\"seq\":1}}");
        fx.send("1", "{\"tenantId\":1,\"model\":\"Company\",\"key\":\"acme\",\"fields\":{\"name\":\"Acme Ltd\"}}");
        fx.send("1", "{\"tenantId\":1,\"modelId\":" + m + ",\"key\":\"globex\",\"fields\":{\"name\":\"Globex\"}}");
        fx.send("1/company/globex", null);
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"name\":\"unkeyed\"}}");
        fx.send("1/#" + m + "/acme", null);
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"acme\",\"fields\":{\"name\":\"Acme reborn\"}}");
        fx.send("1/company/never-written", null);
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, m, "name")).containsExactly(Map.entry("acme", "Acme reborn"));
        assertThat(fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.name')), deleted_at IS NOT NULL FROM entry_data ORDER BY id")
                .toString()).isEqualTo("[[Acme Ltd, 1], [Globex, 1], [unkeyed, 0], [Acme reborn, 0]]");
        // the update was a full replace: the slot of the absent field 'seq' is cleared
        assertThat(fx.rows("SELECT i_str_01, i_int_01 FROM entry_slots_page_1 ORDER BY entry_id").get(0).toString())
                .isEqualTo("[Acme Ltd, null]");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isZero();

        List<JsonNode> events = fx.events(7);
        assertThat(events).hasSize(7);
        assertThat(events.stream().map(e -> e.get("eventId").asText()).distinct()).hasSize(7);
        long acme1 = ((Number) fx.rows("SELECT MIN(id) FROM entry_data").get(0).get(0)).longValue();
        List<String> acmeFirst = events.stream().filter(e -> e.get("entryId").asLong() == acme1)
                .map(e -> e.get("type").asText() + ":" + e.path("key").asText("-")).toList();
        assertThat(acmeFirst).containsExactly("created:acme", "updated:acme", "deleted:acme");
        assertThat(events.stream().map(e -> e.get("type").asText()).collect(Collectors.groupingBy(t -> t, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(Map.of("created", 4L, "updated", 1L, "deleted", 2L));
        JsonNode any = events.get(0);
        assertThat(any.get("tenantId").asLong()).isEqualTo(1);
        assertThat(any.get("modelId").asInt()).isEqualTo(m);
        assertThat(any.get("committedAt").asText()).endsWith("Z");
    }

    @Test
    void aTenantsRecordsAreAppliedInOffsetOrder() {
        int m1 = fx.companyModel(1).modelId();
        int m2 = fx.companyModel(2).modelId();
        gateway = Gateway.start(fx.set("gatewayBatchMaxRecords", "37").config());
        int n = 300;
        for (int i = 0; i < n; i++) {
            for (int t = 1; t <= 2; t++) {
                fx.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(fx.topic, Integer.toString(t),
                        "{\"tenantId\":" + t + ",\"model\":\"company\",\"fields\":{\"seq\":" + i + "}}"));
                fx.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(fx.topic, Integer.toString(t),
                        "{\"tenantId\":" + t + ",\"model\":\"company\",\"key\":\"counter\",\"fields\":{\"seq\":" + i + "}}"));
            }
        }
        fx.producer().flush();
        fx.awaitIngested(Duration.ofSeconds(90));

        for (int t = 1; t <= 2; t++) {
            int model = t == 1 ? m1 : m2;
            List<Long> seqs = fx.rows("SELECT JSON_EXTRACT(e.fields, '$.seq') FROM entry_data e LEFT JOIN stardust_entry_keys k"
                    + " ON k.entry_id = e.id WHERE e.tenant_id = ? AND k.entry_id IS NULL ORDER BY e.id", t).stream()
                    .map(r -> Long.parseLong(r.get(0).toString())).toList();
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                expected.add(i);
            }
            assertThat(seqs).as("unkeyed entries of tenant %d, by id", t).isEqualTo(expected);
            assertThat(fx.liveByKey(t, model, "seq")).containsExactly(Map.entry("counter", Integer.toString(n - 1)));
        }
        List<JsonNode> events = fx.events(4 * n);
        assertThat(events).hasSize(4 * n);
        assertThat(events.stream().filter(e -> e.has("key")).map(e -> e.get("type").asText()).toList())
                .filteredOn("updated"::equals).hasSize(2 * (n - 1));
    }

    @Test
    void theTenantPartitionerPutsTombstonesOnTheirTenantsPartition() {
        org.apache.kafka.common.Cluster cluster = new org.apache.kafka.common.Cluster("c", List.of(), List.of(
                new org.apache.kafka.common.PartitionInfo("t", 0, null, null, null),
                new org.apache.kafka.common.PartitionInfo("t", 1, null, null, null),
                new org.apache.kafka.common.PartitionInfo("t", 2, null, null, null),
                new org.apache.kafka.common.PartitionInfo("t", 3, null, null, null),
                new org.apache.kafka.common.PartitionInfo("t", 4, null, null, null)), java.util.Set.of(), java.util.Set.of());
        TenantPartitioner p = new TenantPartitioner();
        for (int tenant = 1; tenant <= 50; tenant++) {
            byte[] plain = Integer.toString(tenant).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int expected = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(plain)) % 5;
            assertThat(p.partition("t", null, plain, null, null, cluster)).isEqualTo(expected);
            assertThat(p.partition("t", null, (tenant + "/company/k/with/slashes").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    null, null, cluster)).isEqualTo(expected);
        }
    }

    @Test
    void metricsAreServedForPrometheus() throws Exception {
        fx.companyModel(1);
        gateway = Gateway.start(fx.config());
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"name\":\"x\"}}");
        fx.send("1", "not json");
        fx.awaitIngested(Duration.ofSeconds(60));
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("stardust_gateway_records_total{outcome=\"written\"} 1.0",
                "stardust_gateway_dlq_records_total{reason=\"not_json\"} 1.0", "stardust_gateway_consumer_lag_records",
                "stardust_gateway_batch_latency_seconds", "stardust_gateway_batch_records", "stardust_gateway_events_published_total");
    }
}
