package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.QueryFilterValidationException;
import io.stardust.SearchRequest;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the API accepts as ids, page sizes and JSON: only canonical integers, and JSON exactly as the engine reads
 * it (the same document gets the same verdict over HTTP as from {@code bin/stardust filter:check}).
 */
@ExtendWith(MySqlExtension.class)
class HttpApiInputTest {
    private final TestDatabase db;
    private final HttpClient client = HttpClient.newHttpClient();
    private EngineFixture fx;
    private ModelDefinition company;
    private HttpServerApp app;
    private String key;
    private long entry;

    HttpApiInputTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("score", DeclaredType.NUMERIC, true));
        entry = fx.write(1, company, Map.of("name", "Acme", "employees", 340, "score", 1.5));
        key = TestKeys.allScopes(fx.engine, 1);
        app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0));
    }

    @AfterEach
    void tearDown() {
        app.close();
        fx.close();
    }

    private record Res(int status, JsonNode body) {
    }

    private Res get(String rawPathAndQuery) throws Exception {
        return send(TestKeys.authed(key, URI.create(app.baseUrl() + rawPathAndQuery)).GET().build());
    }

    private Res search(String body) throws Exception {
        return send(TestKeys.authed(key, URI.create(app.baseUrl() + "/v1/tenants/1/models/company/search"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Res send(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return new Res(r.statusCode(), Json.parse(r.body()));
    }

    private static void assertBadParameter(Res r, String parameter) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.body().get("error").asText()).isEqualTo("bad_parameter");
        assertThat(r.body().get("message").asText()).contains(parameter);
    }

    /** The documented answer to a body that is not acceptable JSON: 400 malformed_json, or 422 from the decoder. */
    private static void assertRejectedAsDocumented(Res r) {
        assertThat(r.status()).as(r.body().toString()).isIn(400, 422);
        if (r.status() == 400) {
            assertThat(r.body().get("error").asText()).isEqualTo("malformed_json");
        } else {
            assertThat(r.body().get("valid").asBoolean()).isFalse();
            assertThat(r.body().get("errorCode").asText()).isNotBlank();
        }
    }

    @Test
    void onlyCanonicalTenantAndEntryIdsAreRead() throws Exception {
        assertThat(get("/v1/tenants/1/entries/" + entry).status()).isEqualTo(200);
        for (String tenant : new String[] {"%EF%BC%91", "+1", "01", "1.0", "%201", "1%20", "99999999999999999999"}) {
            assertBadParameter(get("/v1/tenants/" + tenant + "/entries/" + entry), "tenant id");
            assertBadParameter(get("/v1/tenants/" + tenant + "/models/company/entries"), "tenant id");
        }
        for (String id : new String[] {"%EF%BC%91", "+" + entry, "0" + entry, "0", "-" + entry, "%D9%A1"}) {
            assertBadParameter(get("/v1/tenants/1/entries/" + id), "entry id");
        }
        Res belowOne = get("/v1/tenants/0/entries/" + entry);
        assertThat(belowOne.status()).isEqualTo(400);
        assertThat(belowOne.body().get("error").asText()).isEqualTo("invalid_tenant");
        assertThat(get("/v1/tenants/-3/models").body().get("error").asText()).isEqualTo("invalid_tenant");
    }

    @Test
    void onlyCanonicalPageSizesAreRead() throws Exception {
        assertThat(get("/v1/tenants/1/models/company/entries?pageSize=1").status()).isEqualTo(200);
        for (String size : new String[] {"%EF%BC%91", "+1", "01", "1e2", "%201", "ten"}) {
            assertBadParameter(get("/v1/tenants/1/models/company/entries?pageSize=" + size), "pageSize");
            assertBadParameter(send(TestKeys.authed(key, URI.create(app.baseUrl()
                    + "/v1/tenants/1/models/company/search?pageSize=" + size)).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"version\":\"1\"}")).build()), "pageSize");
        }
        for (String size : new String[] {"0", "-1", "1001", "99999999999"}) {
            Res r = get("/v1/tenants/1/models/company/entries?pageSize=" + size);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().get("error").asText()).as(size).isEqualTo("page_size_out_of_range");
        }
    }

    @Test
    void aModelNameWithSlashPercentAndSpaceIsReachablePercentEncoded() throws Exception {
        fx.model(1, "a/b 50%", new FieldSpec("name", DeclaredType.STRING, false));
        Res r = get("/v1/tenants/1/models/a%2Fb%2050%25");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().get("name").asText()).isEqualTo("a/b 50%");
    }

    @Test
    void aBodyWithTrailingContentIsRejectedAsDocumented() throws Exception {
        String doc = "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"company\",\"name\":\"name\"},\"value\":\"Acme\"}}";
        assertThat(search(doc).status()).isEqualTo(200);
        assertRejectedAsDocumented(search(doc + "xyz"));
        assertRejectedAsDocumented(search(doc + doc));
        assertRejectedAsDocumented(search(doc + " {}"));
    }

    @Test
    void aBodyWithDuplicateKeysIsRejectedAsDocumented() throws Exception {
        assertRejectedAsDocumented(search("{\"version\":\"1\",\"version\":\"1\"}"));
        assertRejectedAsDocumented(search("{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"op\":\"neq\","
                + "\"field\":{\"model\":\"company\",\"name\":\"name\"},\"value\":\"Acme\"}}"));
    }

    @Test
    void aFilterNumberOfMoreThanAThousandDigitsGetsTheEngineVerdictNotMalformedJson() throws Exception {
        String digits = "9".repeat(1001);
        for (String field : new String[] {"employees", "score"}) {
            String doc = "{\"version\":\"1\",\"filter\":{\"op\":\"lt\",\"field\":{\"model\":\"company\",\"name\":\""
                    + field + "\"},\"value\":" + digits + "}}";
            Res r = search(doc);
            // The verdict the CLI gives (filter:check decodes with the engine's decoder; search pre-flights).
            try {
                FilterNode filter = new JsonFilterDecoder(fx.engine.config().filterLimits()).decode(doc);
                int rows = fx.engine.search(SearchRequest.of(EntryQuery.all(1, company.modelId()).withFilter(filter)))
                        .rows().size();
                assertThat(r.status()).as(field + ": " + r.body()).isEqualTo(200);
                assertThat(r.body().get("rows").size()).isEqualTo(rows);
            } catch (QueryFilterValidationException e) {
                assertThat(r.status()).as(field + ": " + r.body()).isEqualTo(422);
                assertThat(r.body().toString()).isEqualTo(Json.parse(e.toJson()).toString());
            }
        }
    }
}
