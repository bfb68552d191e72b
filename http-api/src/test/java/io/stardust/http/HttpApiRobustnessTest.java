package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.daemon.http.RawHttp;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API against clients that misbehave at the HTTP level: slow, half-sent or not HTTP at all, many requests on
 * one connection, and requests in flight while the server stops.
 */
@ExtendWith(MySqlExtension.class)
class HttpApiRobustnessTest {
    private final TestDatabase db;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EngineFixture fx;
    private ModelDefinition company;
    private HttpServerApp app;
    private String key;

    HttpApiRobustnessTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (app != null) {
            app.close();
        }
        fx.close();
    }

    private HttpServerApp start(HttpConfig config) {
        key = TestKeys.allScopes(fx.engine, 1);
        app = HttpServerApp.start(fx.engine, config);
        return app;
    }

    private HttpConfig config() {
        return HttpConfig.of(fx.engine.config(), 0);
    }

    private String auth() {
        return "Authorization: Bearer " + key + "\r\n";
    }

    private RawHttp raw() {
        RawHttp r = RawHttp.connect("127.0.0.1", app.port());
        open.add(r);
        return r;
    }

    private static void assertDocumentedError(RawHttp.Response r, int status, String... codes) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("error").asText()).isIn((Object[]) codes);
        assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void healthAnswersWithinOneSecondWhileFiftyClientsHoldHalfSentRequestsAndOneSpeaksTls() throws Exception {
        start(config());
        for (int i = 0; i < 50; i++) {
            raw().send("GET /v1/tenants/1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ");
        }
        raw().send(RawHttp.tlsClientHello());
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> health = client.send(TestKeys.authed(key, URI.create(app.baseUrl() + "/health"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void malformedPercentEncodingConnectAndBadFramingGetTheDocumentedJsonErrors() throws Exception {
        start(config());
        assertDocumentedError(raw().exchange("GET /v1/tenants/1/models/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n"), 400,
                "bad_path", "bad_request");
        assertDocumentedError(raw().exchange("GET /v1/tenants/1/models/company/entries?cursor=%G0 HTTP/1.1\r\nHost: x\r\n" + auth() + "\r\n"),
                400, "bad_query", "bad_request");
        assertDocumentedError(raw().exchange("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n"), 405,
                "method_not_allowed");
        assertDocumentedError(raw().exchange("POST /v1/tenants/1/models/company/search HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 12x\r\n\r\n{}"), 400, "bad_request");
        assertDocumentedError(raw().exchange("POST /v1/tenants/1/models/company/search HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400, "bad_request");
        assertDocumentedError(raw().send(RawHttp.tlsClientHello()).read(), 400, "bad_request");
    }

    @Test
    void fiftyKeptAliveRequestsOnOneConnectionDoNotEachStallOnADelayedAck() throws Exception {
        start(config());
        RawHttp conn = raw();
        String request = "GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n";
        assertThat(conn.exchange(request).status()).isEqualTo(404);
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            assertThat(conn.exchange(request).status()).isEqualTo(404);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        // Nagle against the client's delayed ACK costs ~40 ms on every request after the first.
        assertThat(TimeUnit.NANOSECONDS.toMillis(nanos[nanos.length / 2])).as("median ms").isLessThan(20);
    }

    @Test
    void anIdleServerStopsPromptlyThoughItsShutdownTimeoutIsLong() throws Exception {
        start(config().withShutdownTimeout(Duration.ofSeconds(30)));
        RawHttp kept = raw();
        assertThat(kept.exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(app::close);
        stopped.get(3, TimeUnit.SECONDS);
    }

    @Test
    void aSearchInFlightWhenTheServerStopsIsAnsweredInFull() throws Exception {
        long big = fx.write(1, company, Map.of("name", "Big", "employees", 500));
        fx.write(1, company, Map.of("name", "Small", "employees", 5));
        start(config().withShutdownTimeout(Duration.ofSeconds(30)));
        byte[] filter = ("{\"version\":\"1\",\"filter\":{\"op\":\"gte\",\"field\":{\"model\":\"company\",\"name\":\"employees\"},"
                + "\"value\":100}}").getBytes(StandardCharsets.UTF_8);
        RawHttp inFlight = raw().send("POST /v1/tenants/1/models/company/search HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Length: "
                + filter.length + "\r\n\r\n").send(Arrays.copyOf(filter, 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> app.requestsInFlight() == 1);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(app::close);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !stopped.isDone());
        RawHttp.Response r = inFlight.send(Arrays.copyOfRange(filter, 20, filter.length)).read();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("rows").get(0).get("id").asLong()).isEqualTo(big);
        stopped.get(10, TimeUnit.SECONDS);
    }
}
