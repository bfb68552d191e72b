package io.stardust.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared endpoint over real sockets: slow and broken clients, deadlines, limits, keep-alive and stopping. */
class HttpEndpointTest {
    private static final HttpService ECHO = call -> HttpReply.json(200,
            "{\"path\":" + JsonText.quote(call.rawPath()) + ",\"bytes\":" + call.body().length + "}");

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private HttpEndpointOptions options() {
        return HttpEndpointOptions.defaults(HttpEndpointOptions.LOOPBACK, 0, 1024);
    }

    private HttpEndpoint start(HttpEndpointOptions options, HttpService service) {
        HttpEndpoint e = HttpEndpoint.start("test-http", options, service, HttpObserver.NONE);
        open.add(e);
        return e;
    }

    private RawHttp raw(HttpEndpoint e) {
        RawHttp r = RawHttp.connect(e.host(), e.port());
        open.add(r);
        return r;
    }

    private HttpResponse<String> get(HttpEndpoint e, String path, Duration timeout) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + path)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertJsonError(RawHttp.Response r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void fiftyHalfSentRequestsAndATlsHandshakeDoNotDelayOtherClients() throws Exception {
        HttpEndpoint e = start(options(), ECHO);
        for (int i = 0; i < 50; i++) {
            raw(e).send("GET /slow HTTP/1.1\r\nHost: x\r\nX-Half: ");
        }
        raw(e).send(RawHttp.tlsClientHello());
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = get(e, "/fast", Duration.ofSeconds(1));
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientTricklingItsRequestHeadIsCutOffAtTheRequestReadDeadlineThoughNeverIdle() {
        HttpEndpoint e = start(options().withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(800), Duration.ofSeconds(30)),
                ECHO);
        RawHttp slow = raw(e).send("GET /slow HTTP/1.1\r\nHost: x\r\n");
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        open.add(trickle::shutdownNow);
        trickle.scheduleAtFixedRate(() -> {
            try {
                slow.send("X: y\r\n");
            } catch (RuntimeException closed) {
                trickle.shutdown();
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        // Idle timeout 60 s: only the request-read deadline can close it this early.
        assertThat(slow.closedByServer(20_000)).isTrue();
    }

    @Test
    void aTlsHandshakeOnThePlainPortGetsAJsonErrorNotAnHtmlPage() throws Exception {
        HttpEndpoint e = start(options(), ECHO);
        assertJsonError(raw(e).send(RawHttp.tlsClientHello()).read(), 400, "bad_request");
    }

    @Test
    void requestsThatAreNotValidHttpGetTheJsonErrorShape() throws Exception {
        HttpEndpoint e = start(options(), ECHO);
        assertJsonError(raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"), 400, "bad_request");
        assertJsonError(raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                400, "bad_request");
        assertJsonError(raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400, "bad_request");
        assertJsonError(raw(e).exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"), 405,
                "method_not_allowed");
        assertJsonError(raw(e).exchange("GET /x HTTP/7.0\r\nHost: x\r\n\r\n"), 505, "http_version_not_supported");
        assertJsonError(raw(e).exchange("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "uri_too_long");
        assertJsonError(raw(e).exchange("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431,
                "headers_too_large");
    }

    @Test
    void malformedPercentEncodingIsAJsonErrorWhoeverNoticesIt() throws Exception {
        HttpEndpoint e = start(options(), call -> {
            throw HttpError.badRequest("bad_path", "malformed percent-encoding in the path");
        });
        for (String target : List.of("/a%ZZb", "/a%", "/%C0%AF", "/a%2", "/x?q=%G1")) {
            RawHttp.Response r = raw(e).exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).as(target).isEqualTo(400);
            assertThat(Json.parse(r.body()).get("error").asText()).as(target).isIn("bad_request", "bad_path");
        }
    }

    @Test
    void fiftySequentialKeptAliveRequestsDoNotEachWaitForADelayedAck() throws Exception {
        HttpEndpoint e = start(options(), ECHO);
        RawHttp conn = raw(e);
        String request = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        conn.exchange(request); // warm up
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            RawHttp.Response r = conn.exchange(request);
            nanos[i] = System.nanoTime() - t0;
            assertThat(r.status()).isEqualTo(200);
        }
        Arrays.sort(nanos);
        // Nagle against delayed ACK costs ~40 ms per kept-alive request; a healthy exchange is well under 1 ms.
        assertThat(TimeUnit.NANOSECONDS.toMillis(nanos[nanos.length / 2])).as("median ms").isLessThan(20);
    }

    @Test
    void aServiceThatOverrunsTheResponseDeadlineIsAnsweredWith503AndLaterRequestsStillWork() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        open.add(release::countDown);
        HttpEndpoint e = start(options().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(500)),
                call -> {
                    if (call.rawPath().equals("/stuck")) {
                        release.await();
                    }
                    return HttpReply.json(200, "{}");
                });
        HttpResponse<String> stuck = get(e, "/stuck", Duration.ofSeconds(20));
        assertThat(stuck.statusCode()).isEqualTo(503);
        assertThat(Json.parse(stuck.body()).get("error").asText()).isEqualTo("timeout");
        assertThat(stuck.headers().firstValue("X-Correlation-Id")).isPresent();
        assertThat(get(e, "/fine", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesOverTheLimitAre413AndStalledBodiesAre408() throws Exception {
        HttpEndpoint e = start(options().withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(800), Duration.ofSeconds(30)),
                ECHO);
        assertJsonError(raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000)),
                413, "payload_too_large");
        String chunk = Integer.toHexString(1500) + "\r\n" + "y".repeat(1500) + "\r\n";
        assertJsonError(raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk
                + "0\r\n\r\n"), 413, "payload_too_large");
        assertJsonError(raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"half\":"), 408,
                "request_timeout");
        RawHttp.Response ok = raw(e).exchange("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + "z".repeat(1024));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(Json.parse(ok.body()).get("bytes").asInt()).isEqualTo(1024);
    }

    @Test
    void beyondMaxConnectionsNewClientsWaitUntilASlotFrees() throws Exception {
        HttpEndpoint e = start(options().withLimits(4, 2), ECHO);
        RawHttp first = raw(e).send("GET /a HTTP/1.1\r\nHost: x\r\n");
        raw(e).send("GET /b HTTP/1.1\r\nHost: x\r\n");
        CompletableFuture<HttpResponse<String>> third = client.sendAsync(
                HttpRequest.newBuilder(URI.create(e.baseUrl() + "/c")).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !third.isDone());
        first.close();
        assertThat(third.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void stoppingAnIdleEndpointReturnsAtOnceEvenWithAKeptAliveConnectionOpen() throws Exception {
        HttpEndpoint e = start(options().withStopTimeout(Duration.ofSeconds(30)), ECHO);
        RawHttp kept = raw(e);
        assertThat(kept.exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(e::stop);
        // A liveness bound far below the 30 s stop timeout: nothing is in flight, so nothing is waited for.
        assertThat(stopped.get(3, TimeUnit.SECONDS)).isTrue();
        assertThat(kept.closedByServer(5000)).isTrue();
    }

    @Test
    void stoppingWaitsForARequestInFlightAndItsClientGetsTheWholeAnswer() throws Exception {
        HttpEndpoint e = start(options().withStopTimeout(Duration.ofSeconds(30))
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), ECHO);
        RawHttp inFlight = raw(e).send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
        await().atMost(Duration.ofSeconds(10)).until(() -> e.inFlight() == 1);
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(e::stop);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !stopped.isDone());
        RawHttp.Response r = inFlight.send("67890").read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("bytes").asInt()).isEqualTo(10);
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStreamedReplyArrivesWholeWithItsLengthAndOneThatFailsMidwayAbortsOnlyItsOwnConnection() throws Exception {
        long size = 8L * 1024 * 1024 + 3;
        HttpEndpoint e = start(options(), call -> call.rawPath().equals("/broken")
                ? HttpReply.streamed(200, "application/octet-stream", new HttpReply.StreamedBody() {
                    @Override
                    public long length() {
                        return 1_000_000;
                    }

                    @Override
                    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                        out.write(new byte[1000]);
                        throw new java.io.IOException("the file went away");
                    }
                })
                : HttpReply.streamed(200, "application/octet-stream", new HttpReply.StreamedBody() {
                    @Override
                    public long length() {
                        return size;
                    }

                    @Override
                    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                        byte[] chunk = new byte[65_536];
                        for (long left = size; left > 0; left -= chunk.length) {
                            for (int i = 0; i < chunk.length; i++) {
                                chunk[i] = (byte) ((size - left + i) % 251);
                            }
                            out.write(chunk, 0, (int) Math.min(chunk.length, left));
                        }
                    }
                }).withHeader("X-Streamed", "yes"));
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + "/file")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(size));
        assertThat(r.headers().firstValue("X-Streamed")).hasValue("yes");
        assertThat(r.body()).hasSize((int) size);
        for (int i = 0; i < r.body().length; i += 4099) {
            assertThat(r.body()[i]).isEqualTo((byte) (i % 251));
        }

        CompletableFuture<HttpResponse<byte[]>> broken = client.sendAsync(HttpRequest.newBuilder(
                URI.create(e.baseUrl() + "/broken")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(broken).failsWithin(Duration.ofSeconds(30));
        assertThat(client.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + "/file")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).hasSize((int) size);
    }
}
