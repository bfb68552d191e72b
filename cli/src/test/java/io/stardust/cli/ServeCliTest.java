package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code bin/stardust serve} as a real process: answers /health and the API, SIGTERM drains and exits 0. */
@ExtendWith(MySqlExtension.class)
class ServeCliTest {

    @Test
    void serveAnswersHealthAndStopsCleanlyOnSigterm(TestDatabase db) throws Exception {
        db.reset();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_HTTP_PORT", String.valueOf(port));
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=1", "--name=note", "--field=title:string:filterable", "--provision")
                .exitCode()).isZero();

        Path out = Files.createTempFile("serve-out", ".txt");
        Path err = Files.createTempFile("serve-err", ".txt");
        Process serve = cli.startLogged(out, err, "serve");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> get(http, base + "/health").statusCode() == 200);
            HttpResponse<String> models = get(http, base + "/v1/tenants/1/models/note");
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).contains("\"name\":\"note\"").contains("\"title\"");
            assertThat(get(http, base + "/v1/tenants/0/models").statusCode()).isEqualTo(400);
        } finally {
            serve.destroy(); // SIGTERM
        }
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out) + Files.readString(err)).contains("http_request").contains("http_stopped");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
