package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.VersionProbeCounter;
import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.EventCapture;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChanges;
import io.stardust.registry.mirror.RegistryMirror;
import io.stardust.registry.mirror.RegistryMirrorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code serve} in its own engine (its own pool, version probes counted) follows the registry topic the real mirror
 * publishes, while another engine changes the registry: the API serves the change within a second without probing
 * {@code stardust_schema_version}, and falls back to probing while the topic is gone.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class RegistryFollowTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "registry-follow-" + run;
    private EngineFixture fx;
    private com.zaxxer.hikari.HikariDataSource servedPool;
    private VersionProbeCounter probes;
    private StarDust served;
    private HttpServerApp app;
    private String key;
    private ModelDefinition company;

    RegistryFollowTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("employees", DeclaredType.INT, true),
                new FieldSpec("note", DeclaredType.STRING, false));
        fx.engine.provisionPage(List.of("i_str_01", "i_str_02")); // room for the retype's and promotion's slots
        fx.write(1, company, Map.of("employees", 340, "note", "big"));
        servedPool = fx.pool(4, "served");
        probes = new VersionProbeCounter(servedPool);
        served = StarDust.create(probes.dataSource(), fx.engine.config(), Clock.systemUTC());
        HttpConfig cfg = HttpConfig.of(fx.engine.config(), 0).withRegistryFollow(
                new HttpConfig.RegistryFollow(kafka.bootstrapServers(), topic, Duration.ofSeconds(1)));
        key = TestKeys.allScopes(fx.engine, 1);
        app = HttpServerApp.start(served, cfg);
    }

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.close();
        }
        servedPool.close();
        fx.close();
    }

    @Test
    void serveFollowingTheTopicServesARetypeAndAPromotionWithinASecondWithoutProbingTheSchemaVersion() throws Exception {
        try (RegistryMirror mirror = RegistryMirror.start(mirrorConfig(), Clock.systemUTC())) {
            awaitFollowingAndStreaming();
            assertThat(search("employees", "340").status()).isEqualTo(200); // routes cached
            long probesWhileFollowing = probes.probes();

            fx.engine.retypeField(1, company.fieldId("employees"), DeclaredType.STRING); // committed by another engine
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                Res r = search("employees", "340");
                assertThat(r.status()).isEqualTo(422);
                assertThat(r.body().at("/details/slot_status").asText()).isEqualTo("backfilling");
            });
            fx.runBackfills();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(search("employees", "\"340\"").rows()).isEqualTo(1));

            assertThat(search("note", "\"big\"").body().get("errorCode").asText()).isEqualTo("field_not_filterable");
            fx.engine.promoteFieldToFilterable(1, company.fieldId("note"));
            fx.runBackfills();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(search("note", "\"big\"").rows()).isEqualTo(1));

            assertThat(probes.probes()).as("stardust_schema_version probes while following the topic")
                    .isEqualTo(probesWhileFollowing);
            assertThat(served.registryCaches().followingChanges()).isTrue();
        }
    }

    @Test
    void whenTheTopicIsGoneServeFallsBackToProbingTheVersionAndResumesFollowingWhenItIsBack() throws Exception {
        try (EventCapture events = EventCapture.open()) {
            RegistryMirrorConfig mirrorConfig = mirrorConfig();
            try (RegistryMirror mirror = RegistryMirror.start(mirrorConfig, Clock.systemUTC())) {
                awaitFollowingAndStreaming();
            }
            assertThat(events.named("registry_follow_started")).hasSize(1);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.deleteTopics(List.of(topic)).all().get();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> !served.registryCaches().followingChanges());
            List<EventCapture.Event> fallbacks = events.named("registry_follow_fallback");
            EventCapture.Event fallback = fallbacks.get(fallbacks.size() - 1);
            assertThat(fallback.get("topic")).isEqualTo(topic);
            assertThat(fallback.get("reason").toString()).contains(topic);

            long before = probes.probes();
            fx.engine.promoteFieldToFilterable(1, company.fieldId("note")); // nobody publishes it
            fx.runBackfills();
            assertThat(search("note", "\"big\"").rows()).as("the probe sees the change at once").isEqualTo(1);
            assertThat(probes.probes()).as("probes resumed").isGreaterThan(before);

            try (RegistryMirror mirror = RegistryMirror.start(mirrorConfig, Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> served.registryCaches().followingChanges());
                assertThat(events.named("registry_follow_resumed")).hasSize(1);
                assertThat(search("note", "\"big\"").rows()).isEqualTo(1);
                long resumed = probes.probes();
                fx.engine.retypeField(1, company.fieldId("employees"), DeclaredType.STRING);
                fx.runBackfills();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .untilAsserted(() -> assertThat(search("employees", "\"340\"").rows()).isEqualTo(1));
                assertThat(probes.probes()).as("no probes once following again").isEqualTo(resumed);
            }
        }
    }

    /**
     * The serve side follows, and the mirror streams past its snapshot: a model defined now reaches the topic as a
     * create (one defined while the snapshot still runs arrives as a snapshot read instead, so define until one does).
     */
    private void awaitFollowingAndStreaming() {
        await().atMost(Duration.ofSeconds(90)).until(() -> served.registryCaches().followingChanges());
        List<String> created = new CopyOnWriteArrayList<>();
        AtomicInteger warmUps = new AtomicInteger();
        try (RegistryChanges follower = RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                topic, RegistryChanges.Start.latest(), c -> {
                    if (c.op() == Op.CREATE && c.table().equals("stardust_models")) {
                        created.add(c.after().path("name").asText());
                    }
                })) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                if (!created.isEmpty()) {
                    return true;
                }
                fx.engine.defineModel(9, "warm-up-" + warmUps.incrementAndGet(),
                        List.of(new FieldSpec("x", DeclaredType.INT, false)));
                return false;
            });
        }
    }

    private RegistryMirrorConfig mirrorConfig() {
        Properties p = new Properties();
        p.put("dsn", db.jdbcUrl());
        p.put("user", db.user());
        p.put("pass", db.password());
        p.put("kafkaBootstrap", kafka.bootstrapServers());
        p.put("registryMirrorTopic", topic);
        p.put("registryMirrorName", "mirror-" + run);
        p.put("registryMirrorServerId", Integer.toString(10_000 + Math.floorMod(run.hashCode(), 50_000)));
        p.put("registryMirrorOffsetsTopic", "mirror-offsets-" + run);
        p.put("registryMirrorHistoryTopic", "mirror-history-" + run);
        p.put("registryMirrorOffsetFlushInterval", "200ms");
        p.put("registryMirrorHeartbeatInterval", "1s");
        p.put("registryMirrorMetricsPort", "-1");
        return RegistryMirrorConfig.from(RegistryMirrorConfig.definition().resolve(p, Map.of()));
    }

    private record Res(int status, JsonNode body) {
        int rows() {
            assertThat(status).as(body.toString()).isEqualTo(200);
            return body.get("rows").size();
        }
    }

    private Res search(String field, String valueJson) throws Exception {
        String filter = "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"company\",\"name\":\""
                + field + "\"},\"value\":" + valueJson + "}}";
        HttpResponse<String> r = client.send(TestKeys.authed(key, URI.create(app.baseUrl()
                + "/v1/tenants/1/models/company/search")).POST(HttpRequest.BodyPublishers.ofString(filter)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), Json.parse(r.body()));
    }
}
