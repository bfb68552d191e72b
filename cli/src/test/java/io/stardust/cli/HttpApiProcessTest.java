package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP API v1 as a real {@code bin/stardust serve} process, with keys made by {@code apikey:create}. */
@ExtendWith(MySqlExtension.class)
class HttpApiProcessTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process serve;
    private Path err;
    private String base;

    /** Starts serve over a database with model {@code note} for tenants 1 and 2; returns tenant 1's and 2's keys. */
    private String[] start(TestDatabase db, Map<String, String> env) throws Exception {
        db.reset();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_HTTP_PORT", String.valueOf(port));
        for (Map.Entry<String, String> e : env.entrySet()) {
            cli = cli.withEnv(e.getKey(), e.getValue());
        }
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        String[] keys = new String[2];
        for (int t = 1; t <= 2; t++) {
            assertThat(cli.run("model:define", "--tenant=" + t, "--name=note", "--field=title:string:filterable",
                    "--field=rank:int:filterable", "--provision").exitCode()).isZero();
            CliRunner.Result created = cli.run("apikey:create", "--tenant=" + t, "--name=t" + t,
                    "--scopes=read,write,admin");
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            keys[t - 1] = created.stdout().trim();
        }
        CliRunner.Result list = cli.run("apikey:list");
        assertThat(list.stdout()).contains("\t1\tread,write,admin\tactive\t").doesNotContain(keys[0]);
        Path out = Files.createTempFile("serve-out", ".txt");
        err = Files.createTempFile("serve-err", ".txt");
        serve = cli.startLogged(out, err, "serve");
        base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> send("GET", "/health", null, null).statusCode() == 200);
        return keys;
    }

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).as(Files.readString(err)).isZero();
        }
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return Json.parse(r.body()).get("error").asText();
    }

    /** Every operation of the served OpenAPI document: {method, path template}. */
    private List<String[]> operations(String key) throws Exception {
        JsonNode doc = Json.parse(send("GET", "/v1/openapi.json", key, null).body());
        List<String[]> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String m = methods.next();
                if (Set.of("get", "put", "post", "delete").contains(m)) {
                    out.add(new String[] {m.toUpperCase(), p.getKey()});
                }
            }
        }
        return out;
    }

    @Test
    void withoutAKeyEveryV1RouteIs401AndTenantOnesKeyIs403OnEveryRouteOfTenantTwoAndNothingLeaks(TestDatabase db)
            throws Exception {
        String[] keys = start(db, Map.of());
        HttpResponse<String> secret = send("POST", "/v1/tenants/2/models/note/entries", keys[1], "{\"title\":\"Secret two\"}");
        assertThat(secret.statusCode()).as(secret.body()).isEqualTo(201);
        long secretId = Json.parse(secret.body()).get("id").asLong();
        Map<String, String> params = Map.of("{tenant}", "2", "{model}", "note", "{id}", Long.toString(secretId),
                "{field}", "title", "{key}", "k1");
        int v1 = 0;
        int tenantRoutes = 0;
        for (String[] op : operations(keys[0])) {
            String path = op[1];
            for (Map.Entry<String, String> e : params.entrySet()) {
                path = path.replace(e.getKey(), e.getValue());
            }
            if (!op[1].startsWith("/v1/")) {
                assertThat(send(op[0], path, null, null).statusCode()).as(op[1] + " stays open").isEqualTo(200);
                continue;
            }
            HttpResponse<String> anonymous = send(op[0], path, null, "{}");
            assertThat(anonymous.statusCode()).as(op[0] + " " + op[1]).isEqualTo(401);
            assertThat(error(anonymous)).isEqualTo("unauthorized");
            v1++;
            if (op[1].startsWith("/v1/tenants/{tenant}")) {
                HttpResponse<String> foreign = send(op[0], path, keys[0], "{\"title\":\"x\",\"name\":\"x\",\"type\":\"int\",\"fields\":[]}");
                assertThat(foreign.statusCode()).as(op[0] + " " + op[1] + ": " + foreign.body()).isEqualTo(403);
                assertThat(error(foreign)).isEqualTo("forbidden_tenant");
                assertThat(foreign.body()).doesNotContain("Secret");
                tenantRoutes++;
            }
        }
        assertThat(v1).isGreaterThan(20);
        assertThat(tenantRoutes).isEqualTo(v1 - 1); // all but /v1/openapi.json
        HttpResponse<String> stillThere = send("GET", "/v1/tenants/2/entries/" + secretId, keys[1], null);
        assertThat(stillThere.statusCode()).isEqualTo(200);
        assertThat(stillThere.body()).contains("Secret two");
    }

    @Test
    void badInputsGetTheirDocumentedFourHundreds(TestDatabase db) throws Exception {
        String key = start(db, Map.of())[0];
        String entries = "/v1/tenants/1/models/note/entries";

        HttpResponse<String> huge = send("POST", entries, key, "{\"title\":\"" + "x".repeat(2 << 20) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(error(huge)).isEqualTo("payload_too_large");
        for (String broken : new String[] {"", "{", "{\"title\": }", "[1]", "\"text\""}) {
            HttpResponse<String> r = send("POST", entries, key, broken);
            assertThat(r.statusCode()).as("body <" + broken + ">: " + r.body()).isEqualTo(400);
            assertThat(error(r)).isEqualTo("malformed_json");
        }
        HttpResponse<String> badCursor = send("GET", entries + "?cursor=eyJub3QiOiJhIGN1cnNvciJ9", key, null);
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(error(badCursor)).isEqualTo("invalid_cursor");
        HttpResponse<String> loneSurrogate = send("POST", entries, key, "{\"title\":\"\\ud800\"}");
        assertThat(loneSurrogate.statusCode()).as(loneSurrogate.body()).isBetween(400, 499);

        String unicode = "Ünïcødé 🚀 \u202eright-to-left\u202c 'quoted' \\\" \\u00e9";
        HttpResponse<String> created = send("POST", entries, key, "{\"title\":\"" + unicode + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = Json.parse(created.body()).get("id").asLong();
        assertThat(Json.parse(send("GET", "/v1/tenants/1/entries/" + id, key, null).body()).get("fields").get("title").asText())
                .isEqualTo(Json.parse("\"" + unicode + "\"").asText());

        String injection = "x'%20OR%20'1'='1;%20DROP%20TABLE%20entry_data;--";
        assertThat(error(send("GET", "/v1/tenants/1/models/" + injection + "/entries", key, null))).isEqualTo("model_not_found");
        assertThat(error(send("GET", "/v1/tenants/1/entries/1%20OR%201=1", key, null))).isEqualTo("bad_parameter");
        HttpResponse<String> keyed = send("PUT", "/v1/tenants/1/models/note/keys/" + injection, key, "{\"title\":\"k\"}");
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(200);
        assertThat(Json.parse(keyed.body()).get("key").asText()).isEqualTo("x' OR '1'='1; DROP TABLE entry_data;--");
        HttpResponse<String> injectedFilter = send("POST", "/v1/tenants/1/models/note/search", key,
                "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"note\",\"name\":\"title\"},"
                        + "\"value\":\"' OR 1=1 --\"}}");
        assertThat(injectedFilter.statusCode()).isEqualTo(200);
        assertThat(Json.parse(injectedFilter.body()).get("rows")).isEmpty();
        HttpResponse<String> badField = send("POST", "/v1/tenants/1/models", key,
                "{\"name\":\"m\",\"fields\":[{\"name\":\"a\",\"type\":\"varchar(10); DROP TABLE x\"}]}");
        assertThat(badField.statusCode()).isEqualTo(400);
        assertThat(error(badField)).isEqualTo("bad_request_body");
        HttpResponse<String> uncoercible = send("PUT", "/v1/tenants/1/models/note/keys/k2", key, "{\"rank\":\"ten\"}");
        assertThat(uncoercible.statusCode()).isEqualTo(422);
        assertThat(error(uncoercible)).isEqualTo("uncoercible_slot_value");
        assertThat(send("GET", "/v1/tenants/1/models", key, null).body()).contains("\"note\"");
    }

    @Test
    void twoHundredConcurrentClientsForThirtySecondsGetNoServerError(TestDatabase db) throws Exception {
        String key = start(db, Map.of("STARDUST_HTTP_RATE_LIMIT_PER_KEY", "0"))[0];
        ExecutorService clients = Executors.newFixedThreadPool(200);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String filter = "{\"version\":\"1\",\"filter\":{\"op\":\"gte\",\"field\":{\"model\":\"note\",\"name\":\"rank\"},\"value\":5}}";
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 200; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<String> r = switch (i++ % 4) {
                            case 0 -> send("POST", "/v1/tenants/1/models/note/entries", key,
                                    "{\"title\":\"c" + client + "\",\"rank\":" + (client % 10) + "}");
                            case 1 -> send("GET", "/v1/tenants/1/models/note/entries?pageSize=10", key, null);
                            case 2 -> send("POST", "/v1/tenants/1/models/note/search?pageSize=10", key, filter);
                            default -> send("PUT", "/v1/tenants/1/models/note/keys/client-" + client, key,
                                    "{\"title\":\"k\",\"rank\":" + i + "}");
                        };
                        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                        return;
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertThat(failures).as("transport failures").isEmpty();
        assertThat(statuses.keySet()).as(statuses.toString()).allMatch(s -> s < 500);
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get() + statuses.getOrDefault(201, new AtomicInteger()).get();
        assertThat(ok).as(statuses.toString()).isGreaterThan(200);
    }

    @Test
    void anExportOverHttpWrittenByARealChroniclerDownloadsWhatTheSearchReturnsWithRanges(TestDatabase db)
            throws Exception {
        Path artifacts = Files.createTempDirectory("http-exports");
        start(db, Map.of("STARDUST_ARTIFACT_DIR", artifacts.toString()));
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_ARTIFACT_DIR", artifacts.toString())
                .withEnv("STARDUST_CHRONICLER_IDLE_INTERVAL_SECONDS", "1")
                .withEnv("STARDUST_PID_FILE_DIR", artifacts.resolve("run").toString());
        String key = cli.run("apikey:create", "--tenant=1", "--scopes=read,write,export").stdout().trim();
        for (int i = 0; i < 30; i++) {
            assertThat(send("POST", "/v1/tenants/1/models/note/entries", key,
                    "{\"title\":\"n" + i + "\",\"rank\":" + i + "}").statusCode()).isEqualTo(201);
        }
        String filter = "{\"version\":\"1\",\"filter\":{\"op\":\"gte\",\"field\":{\"model\":\"note\",\"name\":\"rank\"},\"value\":20}}";
        HttpResponse<String> queued = send("POST", "/v1/tenants/1/models/note/exports", key,
                "{\"format\":\"ndjson\",\"select\":[\"title\"],\"filter\":" + filter + "}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String location = queued.headers().firstValue("Location").orElseThrow();
        assertThat(error(send("GET", location + "/artifact", key, null))).isEqualTo("export_not_finished");

        Process chronicler = cli.startLogged(Files.createTempFile("chronicler-out", ".txt"),
                Files.createTempFile("chronicler-err", ".txt"), "chronicler");
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> Json.parse(send("GET", location, key, null).body())
                    .get("status").asText().equals("completed"));
        } finally {
            chronicler.destroy();
            assertThat(chronicler.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        HttpResponse<String> file = send("GET", location + "/artifact", key, null);
        assertThat(file.statusCode()).isEqualTo(200);
        List<String> searched = new ArrayList<>();
        Json.parse(send("POST", "/v1/tenants/1/models/note/search?select=title", key, filter).body()).get("rows")
                .forEach(r -> searched.add(Json.write(r.get("fields"))));
        assertThat(file.body().lines().map(l -> {
            try {
                return Json.write(Json.parse(l));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList()).hasSize(10).isEqualTo(searched);
        HttpResponse<String> suffix = http.send(HttpRequest.newBuilder(URI.create(base + location + "/artifact"))
                .header("Authorization", "Bearer " + key).header("Range", "bytes=-5").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(file.body().substring(file.body().length() - 5));
    }
}
