package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.json.Json;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API end to end: a real server on a free port over a real MySQL, driven with the JDK HTTP client. */
@ExtendWith(MySqlExtension.class)
class HttpApiTest {
    private final TestDatabase db;
    private final HttpClient client = HttpClient.newHttpClient();
    private EngineFixture fx;
    private HttpServerApp app;
    private String key;
    private ModelDefinition company;

    HttpApiTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("note", DeclaredType.STRING, false));
        key = TestKeys.allScopes(fx.engine, 1);
        app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0));
    }

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.close();
        }
        fx.close();
    }

    private record Res(int status, JsonNode body) {
    }

    private Res get(String path) throws Exception {
        return send(TestKeys.authed(key, URI.create(app.baseUrl() + path)).GET().build());
    }

    private Res post(String path, String body) throws Exception {
        return send(TestKeys.authed(key, URI.create(app.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Res send(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return new Res(r.statusCode(), Json.parse(r.body()));
    }

    private static String filter(String field, String op, String valueJson) {
        return "{\"version\":\"1\",\"filter\":{\"op\":\"" + op + "\",\"field\":{\"model\":\"company\",\"name\":\""
                + field + "\"},\"value\":" + valueJson + "}}";
    }

    @Test
    void getsAnEntryAndHidesOtherTenantsEntries() throws Exception {
        long id = fx.write(1, company, Map.of("name", "Acme", "employees", 340));
        ModelDefinition other = fx.model(2, "company", new FieldSpec("name", DeclaredType.STRING, false));
        long foreign = fx.write(2, other, Map.of("name", "Other"));

        Res r = get("/v1/tenants/1/entries/" + id);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("id").asLong()).isEqualTo(id);
        assertThat(r.body().get("tenantId").asLong()).isEqualTo(1);
        assertThat(r.body().get("modelId").asInt()).isEqualTo(company.modelId());
        assertThat(r.body().get("createdAt").isTextual()).isTrue();
        assertThat(r.body().get("fields").get("name").asText()).isEqualTo("Acme");

        Res missing = get("/v1/tenants/1/entries/" + foreign);
        Res absent = get("/v1/tenants/1/entries/999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(absent.status()).isEqualTo(404);
        assertThat(missing.body().get("error").asText()).isEqualTo(absent.body().get("error").asText()).isEqualTo("not_found");
        fx.engine.deleteEntry(1, id);
        assertThat(get("/v1/tenants/1/entries/" + id).status()).isEqualTo(404);
    }

    @Test
    void listingAndSearchSortByAnIndexedFieldAndRefuseWhatCannotBeSorted() throws Exception {
        long small = fx.write(1, company, Map.of("name", "b", "employees", 5));
        long big = fx.write(1, company, Map.of("name", "a", "employees", 500));
        long none = fx.write(1, company, Map.of("name", "c"));
        Res listed = get("/v1/tenants/1/models/company/entries?sort=employees:desc&select=employees");
        assertThat(listed.status()).as(listed.body().toString()).isEqualTo(200);
        assertThat(listed.body().get("rows")).extracting(r -> r.get("id").asLong()).containsExactly(big, small, none);
        Res searched = post("/v1/tenants/1/models/company/search?sort=name&pageSize=1", filter("employees", "gte", "0"));
        assertThat(searched.body().get("rows")).extracting(r -> r.get("id").asLong()).containsExactly(big);
        Res next = post("/v1/tenants/1/models/company/search?sort=name&pageSize=1&cursor=" + searched.body().get("nextCursor").asText(),
                filter("employees", "gte", "0"));
        assertThat(next.body().get("rows")).extracting(r -> r.get("id").asLong()).containsExactly(small);

        assertThat(get("/v1/tenants/1/models/company/entries?sort=note").body().get("error").asText()).isEqualTo("field_not_sortable");
        assertThat(get("/v1/tenants/1/models/company/entries?sort=employees:up").body().get("error").asText()).isEqualTo("bad_query");
        Res otherSort = get("/v1/tenants/1/models/company/entries?cursor=" + searched.body().get("nextCursor").asText());
        assertThat(otherSort.status()).isEqualTo(400);
        assertThat(otherSort.body().get("error").asText()).isEqualTo("invalid_cursor");
    }

    @Test
    void listingFollowsCursorsOverEveryEntryExactlyOnce() throws Exception {
        List<Long> written = fx.writeMany(1, company, "name", 23);
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Res r = get("/v1/tenants/1/models/company/entries?pageSize=5&select=name"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            r.body().get("rows").forEach(row -> {
                seen.add(row.get("id").asLong());
                assertThat(row.get("fields").fieldNames()).toIterable().containsExactly("name");
            });
            cursor = r.body().get("nextCursor").isNull() ? null : r.body().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(written);
        assertThat(pages).isEqualTo(5);
    }

    @Test
    void searchReturnsExactlyTheMatchingRowsAndLogsTheRequest() throws Exception {
        long big = fx.write(1, company, Map.of("name", "Big", "employees", 500));
        long bigger = fx.write(1, company, Map.of("name", "Bigger", "employees", 900));
        fx.write(1, company, Map.of("name", "Small", "employees", 3));
        try (EventCapture events = EventCapture.open()) {
            Res r = post("/v1/tenants/1/models/company/search?pageSize=10", filter("employees", "gte", "100"));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            List<Long> ids = new ArrayList<>();
            r.body().get("rows").forEach(row -> ids.add(row.get("id").asLong()));
            assertThat(ids).containsExactly(big, bigger);
            assertThat(r.body().get("nextCursor").isNull()).isTrue();

            EventCapture.Event ev = events.named("http_request").get(0);
            assertThat(ev.source()).isEqualTo("http");
            assertThat(ev.fields()).containsEntry("method", "POST").containsEntry("status", 200)
                    .containsEntry("route", "/v1/tenants/{tenant}/models/{model}/search").containsEntry("tenant_id", "1");
            assertThat(events.named("search_request").get(0).get("correlation_id")).isEqualTo(ev.get("correlation_id"));
        }
    }

    @Test
    void filterErrorsAre422WithTheValidationDocument() throws Exception {
        Res r = post("/v1/tenants/1/models/company/search", filter("nope", "eq", "\"x\""));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("valid").asBoolean()).isFalse();
        assertThat(r.body().get("errorCode").asText()).isEqualTo("field_unknown");
        assertThat(r.body().get("pointer").asText()).isEqualTo("/filter/field/name");
        assertThat(r.body().has("details")).isTrue();
    }

    @Test
    void requestErrorsAreTypedJson() throws Exception {
        Res malformed = post("/v1/tenants/1/models/company/search", "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("error").asText()).isEqualTo("malformed_json");
        assertThat(post("/v1/tenants/1/models/company/search", "").status()).isEqualTo(400);

        String huge = "{\"version\":\"1\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        Res tooLarge = post("/v1/tenants/1/models/company/search", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body().get("error").asText()).isEqualTo("payload_too_large");
        byte[] hugeBytes = huge.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Res chunked = send(TestKeys.authed(key, URI.create(app.baseUrl() + "/v1/tenants/1/models/company/search"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(hugeBytes))).build());
        assertThat(chunked.status()).as("no Content-Length: the limit is enforced while reading").isEqualTo(413);

        Res tenantZero = get("/v1/tenants/0/models/company/entries");
        assertThat(tenantZero.status()).isEqualTo(400);
        assertThat(tenantZero.body().get("error").asText()).isEqualTo("invalid_tenant");
        assertThat(get("/v1/tenants/0/entries/1").status()).isEqualTo(400);
        assertThat(get("/v1/tenants/abc/entries/1").body().get("error").asText()).isEqualTo("bad_parameter");
        assertThat(get("/v1/tenants/1/entries/x1").status()).isEqualTo(400);
        assertThat(get("/v1/tenants/1/models/company/entries?pageSize=0").body().get("error").asText())
                .isEqualTo("page_size_out_of_range");
        assertThat(get("/v1/tenants/1/models/company/entries?pageSize=ten").status()).isEqualTo(400);
        assertThat(get("/v1/tenants/1/models/company/entries?cursor=garbage").body().get("error").asText())
                .isEqualTo("invalid_cursor");

        Res unknownModel = get("/v1/tenants/1/models/nope/entries");
        assertThat(unknownModel.status()).isEqualTo(404);
        assertThat(unknownModel.body().get("error").asText()).isEqualTo("model_not_found");
        Res foreignTenant = get("/v1/tenants/2/models/company");
        assertThat(foreignTenant.status()).as("another tenant's path").isEqualTo(403);
        assertThat(foreignTenant.body().get("error").asText()).isEqualTo("forbidden_tenant");
        assertThat(get("/v1/nothing/here").status()).isEqualTo(404);

        Res wrongMethod = get("/v1/tenants/1/models/company/search");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.body().get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(post("/v1/tenants/1/entries/1", "{}").status()).isEqualTo(405);
    }

    @Test
    void describesAndListsModelsAndReportsHealth() throws Exception {
        Res list = get("/v1/tenants/1/models");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("models").get(0).get("name").asText()).isEqualTo("company");

        Res d = get("/v1/tenants/1/models/company");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.body().toString()).isEqualTo(Json.write(ModelJson.describe(fx.engine.describeModel(1, company.modelId()).orElseThrow())));
        assertThat(d.body().get("fields").get(1).get("indexed").asBoolean()).isTrue();

        Res health = get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("ok");
    }
}
