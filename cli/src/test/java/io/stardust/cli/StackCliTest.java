package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/stardust stack} as a real process: embedded servers, every member up with its metrics, a clean stop. */
class StackCliTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aStackWithTwoGatewaysServesEveryMembersMetricsRestartsACrashedMemberAndStopsCleanly() throws Exception {
        Path out = dir.resolve("stack.out");
        Path err = dir.resolve("stack.err");
        Path work = dir.resolve("work");
        Process stack = CliRunner.withoutDatabase().startLogged(out, err, "stack", "--gateways=2", "--partitions=2",
                "--dir=" + work);
        try {
            Path listing = work.resolve("stack.json");
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(listing) || !stack.isAlive());
            assertThat(stack.isAlive()).as(Files.readString(err)).isTrue();
            List<String> names = new ArrayList<>();
            for (JsonNode m : Json.parse(Files.readString(listing))) {
                names.add(m.get("member").asText());
                String metrics = m.get("metrics_url").asText();
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                        .until(() -> get(metrics).statusCode() == 200);
            }
            assertThat(names).containsExactly("registry-mirror", "watcher", "liberator", "chronicler", "reconciler-1", "gateway-1",
                    "gateway-2", "http-api", "streams-1");
            assertThat(Files.readString(out)).contains("gateway-2").contains("/metrics");

            // SIGKILL a gateway: the stack starts it again, and its metrics come back
            String restarts = "\"event\":\"stack_member_restarted\"";
            long gatewayPid = gatewayPid(err);
            ProcessHandle.of(gatewayPid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.readString(err).contains(restarts));

            stack.destroy(); // SIGTERM: every member drains, then the stack exits 0
            assertThat(stack.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(stack.exitValue()).as(Files.readString(err)).isZero();
        } finally {
            stack.descendants().forEach(ProcessHandle::destroyForcibly);
            stack.destroyForcibly();
        }
    }

    private long gatewayPid(Path err) throws Exception {
        for (String line : Files.readAllLines(err)) {
            if (line.contains("\"event\":\"stack_member_started\"") && line.contains("\"member\":\"gateway-1\"")) {
                return Json.parse(line).get("pid").asLong();
            }
        }
        throw new AssertionError("no stack_member_started for gateway-1 in " + Files.readString(err));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
