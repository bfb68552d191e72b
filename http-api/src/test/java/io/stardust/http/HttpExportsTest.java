package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.chronicler.Chronicler;
import io.stardust.chronicler.ChroniclerConfig;
import io.stardust.engine.access.ApiKeyScope;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Exports over HTTP against a real server, real MySQL and a real Chronicler writing the artifacts. */
@ExtendWith(MySqlExtension.class)
class HttpExportsTest {
    private static final String EXPORTS = "/v1/tenants/1/models/company/exports";
    private static final String FILTER = "{\"version\":\"1\",\"filter\":{\"op\":\"gte\","
            + "\"field\":{\"model\":\"company\",\"name\":\"employees\"},\"value\":100}}";

    private final TestDatabase db;
    private EngineFixture fx;
    private HttpServerApp app;
    private ApiClient api;
    private Path artifactDir;

    HttpExportsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() throws Exception {
        artifactDir = Files.createTempDirectory("http-exports");
        fx = EngineFixture.fresh(db, artifactDir);
        ModelDefinition company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true));
        fx.modelWithSlots(1, "person", new FieldSpec("name", DeclaredType.STRING, true));
        ModelDefinition other = fx.modelWithSlots(2, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true));
        for (int i = 0; i < 120; i++) {
            fx.write(1, company, Map.of("name", "Company \"" + i + "\", Ltd.", "employees", i * 3));
        }
        fx.write(2, other, Map.of("name", "Secret", "employees", 1000));
        app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0));
        api = new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, 1));
    }

    @AfterEach
    void tearDown() throws Exception {
        app.close();
        fx.close();
        try (var files = Files.walk(artifactDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void runChronicler() throws Exception {
        Chronicler.builder(fx.engine, ChroniclerConfig.defaults().withPageSize(25).withLowDiskThresholdPct(0))
                .sleeper(d -> { }).build().tick();
    }

    private ApiClient.Res submit(String body) throws Exception {
        return api.post(EXPORTS, body);
    }

    private HttpResponse<byte[]> download(String path, String range) throws Exception {
        var request = api.request(path).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A completed NDJSON export of the filter; returns its artifact path. */
    private String completedExport() throws Exception {
        ApiClient.Res queued = submit("{\"format\":\"ndjson\",\"filter\":" + FILTER + ",\"select\":[\"name\",\"employees\"]}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        runChronicler();
        return queued.header("Location");
    }

    @Test
    void anExportSubmittedOverHttpWithAFilterDownloadsExactlyWhatTheSearchReturns() throws Exception {
        ApiClient.Res queued = submit("{\"format\":\"ndjson\",\"filter\":" + FILTER + ",\"select\":[\"name\",\"employees\"]}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        long id = queued.body().get("jobId").asLong();
        assertThat(queued.header("Location")).isEqualTo(EXPORTS + "/" + id);
        assertThat(queued.body().get("status").asText()).isEqualTo("pending");

        ApiClient.Res early = api.get(EXPORTS + "/" + id + "/artifact");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.error()).isEqualTo("export_not_finished");

        runChronicler();
        ApiClient.Res status = api.get(queued.header("Location"));
        assertThat(status.body().get("status").asText()).isEqualTo("completed");
        assertThat(status.body().has("artifactPath")).as("the server's path stays inside").isFalse();
        assertThat(api.get(EXPORTS).body().get("exports").get(0).get("jobId").asLong()).isEqualTo(id);

        HttpResponse<byte[]> file = download(EXPORTS + "/" + id + "/artifact", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(file.headers().firstValue("Content-Length")).hasValue(Long.toString(file.body().length));
        assertThat(file.body().length).isEqualTo(status.body().get("artifactBytes").asLong());
        assertThat(file.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"export_" + id + ".ndjson\"");
        assertThat(file.headers().firstValue("ETag")).isPresent();
        assertThat(file.headers().firstValue("Last-Modified")).isPresent();

        List<JsonNode> exported = new ArrayList<>();
        for (String line : new String(file.body(), StandardCharsets.UTF_8).split("\n")) {
            exported.add(Json.parse(line));
        }
        List<JsonNode> searched = new ArrayList<>();
        String cursor = null;
        do {
            ApiClient.Res page = api.post("/v1/tenants/1/models/company/search?pageSize=7&select=name,employees"
                    + (cursor == null ? "" : "&cursor=" + cursor), FILTER);
            page.body().get("rows").forEach(r -> searched.add(r.get("fields")));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        assertThat(searched).hasSize(86);
        assertThat(exported).isEqualTo(searched);
    }

    @Test
    void rangeRequestsServeTheFirstBytesAnOpenEndOrASuffixAndAStartPastTheEndIs416() throws Exception {
        String location = completedExport();
        byte[] whole = download(location + "/artifact", null).body();

        HttpResponse<byte[]> first = download(location + "/artifact", "bytes=0-9");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 0, 10));
        assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + whole.length);

        HttpResponse<byte[]> open = download(location + "/artifact", "bytes=100-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 100, whole.length));
        assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 100-" + (whole.length - 1) + "/" + whole.length);

        HttpResponse<byte[]> suffix = download(location + "/artifact", "bytes=-7");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, whole.length - 7, whole.length));

        HttpResponse<byte[]> past = download(location + "/artifact", "bytes=" + whole.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
        assertThat(Json.parse(new String(past.body(), StandardCharsets.UTF_8)).get("error").asText())
                .isEqualTo("range_not_satisfiable");

        HttpResponse<byte[]> several = download(location + "/artifact", "bytes=0-1,5-6");
        assertThat(several.statusCode()).as("several ranges: the whole file").isEqualTo(200);
        assertThat(several.body()).isEqualTo(whole);
    }

    @Test
    void anotherTenantsExportIs403OnItsPathAnd404UnderTheOwnTenantAndAnotherModel() throws Exception {
        String location = completedExport();
        String id = location.substring(location.lastIndexOf('/') + 1);
        ApiClient tenant2 = api.withKey(TestKeys.allScopes(fx.engine, 2));
        for (String path : List.of(location, location + "/artifact", EXPORTS)) {
            ApiClient.Res r = tenant2.get(path);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.error()).isEqualTo("forbidden_tenant");
        }
        ApiClient.Res own = tenant2.get("/v1/tenants/2/models/company/exports/" + id + "/artifact");
        assertThat(own.status()).isEqualTo(404);
        assertThat(own.error()).isEqualTo("not_found");
        assertThat(own.text()).doesNotContain("Company");
        assertThat(api.get("/v1/tenants/1/models/person/exports/" + id).status()).as("another model").isEqualTo(404);
        assertThat(api.get(EXPORTS + "/" + id + "9").status()).isEqualTo(404);

        String readOnly = fx.engine.apiKeys().create(1, "reader", EnumSet.of(ApiKeyScope.READ)).secret();
        ApiClient.Res noScope = api.withKey(readOnly).get(location + "/artifact");
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.error()).isEqualTo("insufficient_scope");
    }

    @Test
    void badSubmissionsGetTheSearchesTypedErrorsAndTheActiveCapIs429() throws Exception {
        ApiClient.Res unknownField = submit("{\"filter\":{\"version\":\"1\",\"filter\":{\"op\":\"eq\","
                + "\"field\":{\"model\":\"company\",\"name\":\"nope\"},\"value\":1}}}");
        ApiClient.Res searched = api.post("/v1/tenants/1/models/company/search",
                "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"company\",\"name\":\"nope\"},\"value\":1}}");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.body().get("errorCode")).isEqualTo(searched.body().get("errorCode"));
        assertThat(unknownField.body().get("errorCode").asText()).isEqualTo("field_unknown");

        assertThat(submit("{\"format\":\"xml\"}").error()).isEqualTo("bad_request_body");
        assertThat(submit("{\"select\":[]}").error()).isEqualTo("bad_request_body");
        assertThat(submit("{\"select\":[\"nope\"]}").status()).isEqualTo(422);
        assertThat(submit("{\"gzip\":\"yes\"}").error()).isEqualTo("bad_request_body");
        assertThat(submit("{\"formt\":\"csv\"}").error()).isEqualTo("bad_request_body");
        assertThat(submit("{\"filter\":").error()).isEqualTo("malformed_json");
        assertThat(api.post("/v1/tenants/1/models/nope/exports", "{}").error()).isEqualTo("model_not_found");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_export_jobs")).isZero();

        for (int i = 0; i < 3; i++) {
            assertThat(submit("").status()).isEqualTo(202);
        }
        ApiClient.Res capped = submit("{}");
        assertThat(capped.status()).isEqualTo(429);
        assertThat(capped.error()).isEqualTo("export_active_cap_exceeded");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_export_jobs")).isEqualTo(3);
    }
}
