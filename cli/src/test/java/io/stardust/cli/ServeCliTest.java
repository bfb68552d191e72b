package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code bin/stardust serve} as a real process: answers /health and the API, SIGTERM drains and exits 0. */
@ExtendWith(MySqlExtension.class)
class ServeCliTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A running {@code serve} with its output files and base URL. */
    private record Serve(Process process, Path out, Path err, String base, String key) {
    }

    private Serve startServe(TestDatabase db) throws Exception {
        return startServe(db, Map.of());
    }

    private Serve startServe(TestDatabase db, Map<String, String> env) throws Exception {
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
        assertThat(cli.run("model:define", "--tenant=1", "--name=note", "--field=title:string:filterable", "--provision")
                .exitCode()).isZero();
        CliRunner.Result created = cli.run("apikey:create", "--tenant=1", "--scopes=read");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String key = created.stdout().trim();
        Path out = Files.createTempFile("serve-out", ".txt");
        Path err = Files.createTempFile("serve-err", ".txt");
        Serve serve = new Serve(cli.startLogged(out, err, "serve"), out, err, "http://127.0.0.1:" + port, key);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> get(serve, "/health").statusCode() == 200);
        return serve;
    }

    @Test
    void serveAnswersHealthAndStopsCleanlyOnSigterm(TestDatabase db) throws Exception {
        Serve serve = startServe(db);
        try {
            HttpResponse<String> models = get(serve, "/v1/tenants/1/models/note");
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).contains("\"name\":\"note\"").contains("\"title\"");
            assertThat(get(serve, "/v1/tenants/0/models").statusCode()).isEqualTo(400);
        } finally {
            serve.process().destroy(); // SIGTERM
        }
        assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.process().exitValue()).as(Files.readString(serve.err())).isZero();
        assertThat(Files.readString(serve.out()) + Files.readString(serve.err())).contains("http_request").contains("http_stopped");
    }

    @Test
    void anIdleServeExitsZeroWithinTwoSecondsOfSigtermThoughItsShutdownTimeoutIsTen(TestDatabase db) throws Exception {
        Serve serve = startServe(db);
        // The health checks above left a kept-alive connection open: idle, it must not hold the stop up either.
        long signalled = System.nanoTime();
        serve.process().destroy(); // SIGTERM
        boolean exited = serve.process().waitFor(2000, TimeUnit.MILLISECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        if (!exited) {
            serve.process().destroyForcibly();
        }
        assertThat(exited).as("exited within 2 s of SIGTERM (took " + tookMs + " ms)").isTrue();
        assertThat(serve.process().exitValue()).as(Files.readString(serve.err())).isZero();
        assertThat(Files.readString(serve.err())).contains("http_stopped");
    }

    @Test
    @ExtendWith(KafkaExtension.class)
    void serveWithABootstrapServerButNoRegistryTopicSaysItFallsBackToTheVersionProbeAndServes(TestDatabase db,
                                                                                          EmbeddedKafka kafka)
            throws Exception {
        String topic = "registry-absent-" + UUID.randomUUID();
        Serve serve = startServe(db, Map.of("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "STARDUST_REGISTRY_MIRROR_TOPIC", topic, "STARDUST_REGISTRY_FOLLOW_HEALTH_CHECK", "1s"));
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Files.readString(serve.err()).contains("registry_follow_fallback"));
            assertThat(Files.readString(serve.err())).contains(topic).contains("does not exist");
            assertThat(get(serve, "/v1/tenants/1/models/note/entries").statusCode()).isEqualTo(200);
        } finally {
            serve.process().destroy(); // SIGTERM
        }
        assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.process().exitValue()).as(Files.readString(serve.err())).isZero();
    }

    private HttpResponse<String> get(Serve serve, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(serve.base() + path)).header("Authorization", "Bearer " + serve.key())
                        .timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
