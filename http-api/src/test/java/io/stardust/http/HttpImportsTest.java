package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.EngineFixture;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.ImportProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** File import status over HTTP, read from the streams app's topics on a real broker. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class HttpImportsTest {
    private static final String CSV_ID = "a1".repeat(32);
    private static final String OTHER_CSV_ID = "b2".repeat(32);
    private static final String NDJSON_ID = "c3".repeat(32);
    private static final String OWN_NDJSON_ID = "d4".repeat(32);

    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private EngineFixture fx;
    private HttpServerApp app;

    HttpImportsTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.close();
        }
        fx.close();
    }

    private HttpConfig.ImportTopics publishImports() {
        String suffix = UUID.randomUUID().toString();
        HttpConfig.ImportTopics topics = new HttpConfig.ImportTopics("progress-" + suffix, "status-" + suffix);
        Instant now = Instant.now();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.progressTopic(), 1, (short) 1),
                    new NewTopic(topics.statusTopic(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            // accepted lines of: the CSV's own tenant (the topology applies the directory's), tenants 1 and 2, tenant 1 only
            for (Object[] imp : new Object[][] {{CSV_ID, "1/company/rows.csv", "csv", new long[] {1, 1}},
                    {OTHER_CSV_ID, "2/company/secret.csv", "csv", new long[] {2, 2}},
                    {NDJSON_ID, "1/mixed.ndjson", "ndjson", new long[] {1, 2}},
                    {OWN_NDJSON_ID, "own.ndjson", "ndjson", new long[] {1, 1}}}) {
                String id = (String) imp[0];
                ImportProgress claimed = new ImportProgress(id, (String) imp[1], (String) imp[2], ImportProgress.CLAIMED,
                        0, 0, null, now);
                p.send(new ProducerRecord<>(topics.progressTopic(), id, claimed.toJson()));
                p.send(new ProducerRecord<>(topics.progressTopic(), id,
                        claimed.at(ImportProgress.READ, 4, 3, null, now).toJson()));
                ImportCounts counts = new ImportCounts(id, (String) imp[1], 3L, 0, 1);
                for (long tenant : (long[]) imp[3]) {
                    counts = counts.plus(ImportCounts.acceptedLine(id, (String) imp[1], tenant));
                }
                p.send(new ProducerRecord<>(topics.statusTopic(), id, counts.toJson()));
            }
            p.flush();
            p.send(new ProducerRecord<>(topics.statusTopic(), "end", null)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return topics;
    }

    private ApiClient start(HttpConfig config, long tenant) {
        app = HttpServerApp.start(fx.engine, config);
        return new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, tenant));
    }

    @Test
    void aTenantSeesOnlyItsOwnFileImportsWithTheCountsImportStatusShows() throws Exception {
        HttpConfig.ImportTopics topics = publishImports();
        ApiClient api = start(HttpConfig.of(fx.engine.config(), 0).withRegistryFollow(new HttpConfig.RegistryFollow(
                kafka.bootstrapServers(), "registry-" + UUID.randomUUID(), Duration.ofSeconds(5)))
                .withImportTopics(topics), 1);

        ApiClient.Res list = api.get("/v1/tenants/1/imports");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.body().get("imports")).hasSize(2);
        var only = list.body().get("imports").get(0);
        assertThat(only.get("importId").asText()).isEqualTo(CSV_ID);
        assertThat(only.get("tenantId").asLong()).isEqualTo(1);
        assertThat(only.get("state").asText()).isEqualTo("routed");
        assertThat(only.get("accepted").asLong()).isEqualTo(2);
        assertThat(only.get("rejected").asLong()).isEqualTo(1);
        assertThat(list.text()).doesNotContain("secret.csv").doesNotContain(NDJSON_ID);
        var ownNdjson = list.body().get("imports").get(1);
        assertThat(ownNdjson.get("importId").asText()).as("an NDJSON file whose lines all name tenant 1")
                .isEqualTo(OWN_NDJSON_ID);
        assertThat(ownNdjson.get("tenantId").asLong()).isEqualTo(1);

        ApiClient.Res one = api.get("/v1/tenants/1/imports/" + CSV_ID.substring(0, 8));
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().get("file").asText()).isEqualTo("1/company/rows.csv");
        ApiClient.Res otherTenants = api.get("/v1/tenants/1/imports/" + OTHER_CSV_ID);
        assertThat(otherTenants.status()).isEqualTo(404);
        assertThat(otherTenants.error()).isEqualTo("not_found");
        assertThat(api.get("/v1/tenants/1/imports/" + NDJSON_ID).status())
                .as("an NDJSON file with lines of tenants 1 and 2 is nobody's").isEqualTo(404);
        assertThat(api.get("/v1/tenants/1/imports/a1a1").status()).as("prefix under 8").isEqualTo(404);
        assertThat(api.get("/v1/tenants/2/imports").error()).isEqualTo("forbidden_tenant");
    }

    @Test
    void withoutKafkaBootstrapTheImportsRoutesAnswer503ImportsUnavailable() throws Exception {
        ApiClient api = start(HttpConfig.of(fx.engine.config(), 0), 1);
        for (String path : new String[] {"/v1/tenants/1/imports", "/v1/tenants/1/imports/" + CSV_ID}) {
            ApiClient.Res r = api.get(path);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.error()).isEqualTo("imports_unavailable");
            assertThat(r.body().get("message").asText()).contains("kafkaBootstrap");
        }
        assertThat(api.get("/v1/tenants/1/models").status()).as("everything else is served").isEqualTo(200);
    }
}
