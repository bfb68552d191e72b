package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Writes over HTTP go through the engine's write paths: same rows, same outbox events as the Java API. */
@ExtendWith(MySqlExtension.class)
class HttpWritesTest {
    private static final FieldSpec[] FIELDS = {new FieldSpec("name", DeclaredType.STRING, true),
            new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("note", DeclaredType.STRING, false)};

    private final TestDatabase db;
    private EngineFixture fx;
    private HttpServerApp app;
    private ApiClient api;

    HttpWritesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0));
        api = new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, 1));
    }

    @AfterEach
    void tearDown() {
        app.close();
        fx.close();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode fields(String json) throws Exception {
        return (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(json);
    }

    /** What a model's writes left behind: each entry's fields and deletion, and the outbox events in order. */
    private List<String> trace(int modelId) {
        List<String> out = new ArrayList<>();
        for (List<Object> r : fx.rows("SELECT fields, deleted_at IS NOT NULL FROM entry_data WHERE model_id = ? ORDER BY id", modelId)) {
            out.add("entry " + r.get(0) + " deleted=" + r.get(1));
        }
        for (List<Object> r : fx.rows("SELECT type, entry_key, event_count FROM stardust_entry_events WHERE model_id = ? ORDER BY id", modelId)) {
            out.add("event " + r.get(0) + " key=" + r.get(1) + " count=" + r.get(2));
        }
        return out;
    }

    @Test
    void httpWritesProduceTheSameRowsAndEventsAsTheJavaApi() throws Exception {
        ModelDefinition viaJava = fx.modelWithSlots(1, "viajava", FIELDS);
        ModelDefinition viaHttp = fx.modelWithSlots(1, "viahttp", FIELDS);

        long a = fx.engine.write(new EntryPayload(1, viaJava.modelId(), fields("{\"name\":\"Acme\",\"employees\":340}"))).entryId();
        fx.engine.updateEntry(1, a, fields("{\"name\":\"Acme Corp\",\"employees\":\"341\",\"note\":\"ünïcødé ✓\"}"));
        fx.engine.upsertByKey(1, viaJava.modelId(), "order/1", fields("{\"name\":\"K\"}"));
        fx.engine.upsertByKey(1, viaJava.modelId(), "order/1", fields("{\"name\":\"K2\",\"employees\":2}"));
        long b = fx.engine.write(new EntryPayload(1, viaJava.modelId(), fields("{\"name\":\"Gone\"}"))).entryId();
        fx.engine.deleteEntry(1, b);
        fx.engine.deleteByKey(1, viaJava.modelId(), "order/1");
        fx.engine.bulkWrite(List.of(new EntryPayload(1, viaJava.modelId(), fields("{\"name\":\"B1\"}")),
                new EntryPayload(1, viaJava.modelId(), fields("{\"name\":\"B2\",\"employees\":7}"))));

        String m = "/v1/tenants/1/models/viahttp";
        ApiClient.Res created = api.post(m + "/entries", "{\"name\":\"Acme\",\"employees\":340}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long ha = created.body().get("id").asLong();
        assertThat(created.header("Location")).isEqualTo("/v1/tenants/1/entries/" + ha);
        assertThat(api.put("/v1/tenants/1/entries/" + ha, "{\"name\":\"Acme Corp\",\"employees\":\"341\",\"note\":\"ünïcødé ✓\"}")
                .status()).isEqualTo(200);
        assertThat(api.put(m + "/keys/order%2F1", "{\"name\":\"K\"}").body().get("key").asText()).isEqualTo("order/1");
        assertThat(api.put(m + "/keys/order%2F1", "{\"name\":\"K2\",\"employees\":2}").status()).isEqualTo(200);
        long hb = api.post(m + "/entries", "{\"name\":\"Gone\"}").body().get("id").asLong();
        assertThat(api.delete("/v1/tenants/1/entries/" + hb).status()).isEqualTo(200);
        assertThat(api.delete(m + "/keys/order%2F1").status()).isEqualTo(200);
        ApiClient.Res bulk = api.post(m + "/entries:bulk", "{\"name\":\"B1\"}\n{\"name\":\"B2\",\"employees\":7}\n");
        assertThat(bulk.status()).as(bulk.text()).isEqualTo(200);
        assertThat(bulk.body().get("written").asInt()).isEqualTo(2);

        assertThat(trace(viaHttp.modelId())).isEqualTo(trace(viaJava.modelId()))
                .contains("event deleted key=order/1 count=1", "event deleted key=null count=1", "event created key=null count=2");
        assertThat(api.delete("/v1/tenants/1/entries/" + hb).status()).as("already deleted").isEqualTo(404);
        assertThat(api.delete(m + "/keys/order%2F1").error()).isEqualTo("not_found");
    }

    @Test
    void createWithAnIdempotencyKeyWritesOnceAndReplaysTheFirstAnswer() throws Exception {
        ModelDefinition company = fx.modelWithSlots(1, "company", FIELDS);
        String path = "/v1/tenants/1/models/company/entries";
        HttpRequest.Builder first = api.request(path).header("Idempotency-Key", "order-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Acme\"}"));
        ApiClient.Res a = api.send(first);
        ApiClient.Res b = api.send(api.request(path).header("Idempotency-Key", "order-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Acme\"}")));
        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(201);
        assertThat(b.body()).isEqualTo(a.body());
        assertThat(b.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", company.modelId())).isEqualTo(1);

        ApiClient.Res other = api.send(api.request(path).header("Idempotency-Key", "order-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Globex\"}")));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.error()).isEqualTo("idempotency_key_reused");

        ApiClient.Res bad = api.send(api.request(path).header("Idempotency-Key", "order-43")
                .POST(HttpRequest.BodyPublishers.ofString("{\"employees\":\"many\"}")));
        assertThat(bad.status()).as(bad.text()).isEqualTo(422);
        ApiClient.Res retried = api.send(api.request(path).header("Idempotency-Key", "order-43")
                .POST(HttpRequest.BodyPublishers.ofString("{\"employees\":\"many\"}")));
        assertThat(retried.header("Idempotent-Replayed")).as("a failed answer is not remembered").isNull();

        ApiClient otherKey = api.withKey(TestKeys.allScopes(fx.engine, 1));
        ApiClient.Res separate = otherKey.send(otherKey.request(path).header("Idempotency-Key", "order-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Acme\"}")));
        assertThat(separate.status()).as("keys are scoped per API key").isEqualTo(201);
        assertThat(separate.header("Idempotent-Replayed")).isNull();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", company.modelId())).isEqualTo(2);
    }

    @Test
    void bulkNdjsonWritesEveryGoodLineReportsEachBadLineByNumberAndIsNotRepeatedUnderTheSameIdempotencyKey()
            throws Exception {
        ModelDefinition company = fx.modelWithSlots(1, "company", FIELDS);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 1200; i++) {
            if (i == 7) {
                body.append("{\"name\": broken\n");
            } else if (i == 800) {
                body.append("{\"employees\":\"not a number\"}\r\n");
            } else if (i == 1000) {
                body.append("[1,2]\n\n");
            } else {
                body.append("{\"name\":\"n").append(i).append("\",\"note\":\"'; DROP TABLE entry_data; --\"}\n");
            }
        }
        HttpRequest.Builder request = api.request("/v1/tenants/1/models/company/entries:bulk")
                .header("Content-Type", "application/x-ndjson").header("Idempotency-Key", "import-1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        ApiClient.Res r = api.send(request);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("written").asInt()).isEqualTo(1197);
        assertThat(r.body().get("failed").asInt()).isEqualTo(3);
        JsonNode results = r.body().get("results");
        List<String> failures = new ArrayList<>();
        results.forEach(x -> {
            if (x.get("status").asInt() != 201) {
                failures.add(x.get("line").asInt() + ":" + x.get("status").asInt() + ":" + x.get("error").asText());
            }
        });
        assertThat(failures).containsExactlyInAnyOrder("7:400:malformed_json", "800:422:uncoercible_slot_value",
                "1000:400:malformed_json");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", company.modelId())).isEqualTo(1197);
        assertThat(fx.count("SELECT SUM(event_count) FROM stardust_entry_events WHERE model_id = ? AND type = 'created'",
                company.modelId())).isEqualTo(1197);

        ApiClient.Res again = api.send(api.request("/v1/tenants/1/models/company/entries:bulk")
                .header("Idempotency-Key", "import-1").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", company.modelId())).isEqualTo(1197);
    }

    @Test
    void aBulkBodyBeyondItsEntryLimitWritesTheLinesBeforeAndAnOversizedLineIsRefusedAlone() throws Exception {
        fx.modelWithSlots(1, "company", FIELDS);
        app.close();
        HttpConfig.Limits l = HttpConfig.of(fx.engine.config(), 0).limits();
        app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0)
                .withLimits(new HttpConfig.Limits(1024, l.bulkMaxBytes(), 3, l.ratePerKey())));
        ApiClient c = new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, 1));
        String big = "{\"note\":\"" + "x".repeat(2000) + "\"}";
        ApiClient.Res r = c.post("/v1/tenants/1/models/company/entries:bulk", "{\"name\":\"a\"}\n" + big + "\n{\"name\":\"b\"}\n");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("results").get(1).get("status").asInt()).isEqualTo(413);
        assertThat(r.body().get("written").asInt()).isEqualTo(2);

        ApiClient.Res tooMany = c.post("/v1/tenants/1/models/company/entries:bulk", "{}\n{}\n{}\n{}\n");
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.error()).isEqualTo("payload_too_large");
        assertThat(tooMany.body().get("message").asText()).contains("line 4").contains("3 written");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(2 + 3);

        ApiClient.Res single = c.post("/v1/tenants/1/models/company/entries", big);
        assertThat(single.status()).isEqualTo(413);
        assertThat(single.error()).isEqualTo("payload_too_large");
    }

    @Test
    void modelsAreDefinedDescribedRenamedRetypedAndDeletedWithTheirProgressReported() throws Exception {
        ApiClient.Res defined = api.post("/v1/tenants/1/models", "{\"name\":\"company\",\"provision\":true,\"fields\":["
                + "{\"name\":\"name\",\"type\":\"string\",\"filterable\":true},{\"name\":\"size\",\"type\":\"string\",\"filterable\":true}]}");
        assertThat(defined.status()).as(defined.text()).isEqualTo(200);
        assertThat(defined.body().get("fields").get(0).get("indexed").asBoolean()).isTrue();
        assertThat(api.post("/v1/tenants/1/models", "{\"name\":\"company\",\"fields\":[{\"name\":\"name\",\"type\":\"int\"}]}")
                .error()).isEqualTo("field_definition_conflict");
        assertThat(api.post("/v1/tenants/1/models", "{\"name\":\"c2\",\"fields\":[{\"name\":\"x\",\"type\":\"blob\"}]}")
                .body().get("message").asText()).contains("fields[0].type").contains("blob");
        api.post("/v1/tenants/1/models/company/entries", "{\"name\":\"Acme\",\"size\":\"12\"}");
        fx.engine.provisionPage(List.of("i_int_01")); // room for the retype's slot

        ApiClient.Res retyped = api.post("/v1/tenants/1/models/company/fields/size/retype", "{\"type\":\"int\"}");
        assertThat(retyped.status()).as(retyped.text()).isIn(200, 202);
        assertThat(retyped.body().get("type").asText()).isEqualTo("int");
        ApiClient.Res progress = api.get("/v1/tenants/1/models/company/lifecycle");
        assertThat(progress.status()).isEqualTo(200);
        assertThat(progress.body().get("checkpoints").get(0).get("operation").asText()).isEqualTo("retype");
        assertThat(api.post("/v1/tenants/1/models/company/fields/nope/promote", "").error()).isEqualTo("field_not_found");
        assertThat(api.post("/v1/tenants/1/models/company/fields/name/demote", "").status()).isEqualTo(200);

        assertThat(api.post("/v1/tenants/1/models/company/rename", "{\"name\":\"firm\"}").body().get("name").asText())
                .isEqualTo("firm");
        assertThat(api.get("/v1/tenants/1/models/company").error()).isEqualTo("model_not_found");
        assertThat(api.delete("/v1/tenants/1/models/firm").error()).as("mid-backfill").isEqualTo("retype_in_progress");
        fx.runBackfills();
        assertThat(api.get("/v1/tenants/1/models/firm/lifecycle").body().get("checkpoints").get(0).get("percent").asInt())
                .isEqualTo(100);
        assertThat(api.delete("/v1/tenants/1/models/firm").status()).isEqualTo(202);
        assertThat(api.get("/v1/tenants/1/models").body().get("models")).isEmpty();
    }
}
