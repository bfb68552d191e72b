package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.daemon.http.RawHttp;
import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway's status port: /health reflects MySQL, the broker and consumer progress, and no client can stall it. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayStatusTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private GatewayFixture fx;
    private Gateway gateway;

    GatewayStatusTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 1).set("gatewayHealthProbeInterval", "200ms").set("gatewayHealthProbeTimeout", "1s");
        fx.companyModel(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (!kafka.isRunning()) {
            kafka.restart();
        }
        fx.close();
    }

    private record Health(int status, JsonNode body) {
        String check(String name) {
            return body.path("checks").path(name).path("status").asText();
        }
    }

    private Health health(Duration timeout) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.metricsPort()
                + "/health")).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return new Health(r.statusCode(), Json.parse(r.body()));
    }

    private Health awaitHealth(int status) {
        Health[] last = new Health[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> (last[0] = health(Duration.ofSeconds(2))).status() == status);
        return last[0];
    }

    @Test
    void healthIsOkNamingMySqlTheBrokerAndTheConsumerWhenAllAreFine() throws Exception {
        gateway = Gateway.start(fx.config());
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"name\":\"x\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));
        Health h = awaitHealth(200);
        assertThat(h.body().get("status").asText()).isEqualTo("ok");
        assertThat(h.check("mysql")).isEqualTo("ok");
        assertThat(h.check("broker")).isEqualTo("ok");
        assertThat(h.check("consumer")).isEqualTo("ok");
        assertThat(h.body().path("checks").path("consumer").has("lag")).isTrue();
    }

    @Test
    void healthTurns503NamingTheBrokerWhileItIsDownAndBack200AfterItRestarts() throws Exception {
        gateway = Gateway.start(fx.config());
        awaitHealth(200);
        kafka.crash();
        Health down = awaitHealth(503);
        assertThat(down.body().get("status").asText()).isEqualTo("degraded");
        assertThat(down.check("broker")).isEqualTo("down");
        assertThat(down.body().path("checks").path("broker").path("detail").asText()).isNotBlank();
        assertThat(down.check("mysql")).isEqualTo("ok");
        kafka.restart();
        Health up = awaitHealth(200);
        assertThat(up.check("broker")).isEqualTo("ok");
    }

    @Test
    void fiftyHalfSentRequestsAndATlsHandshakeDoNotDelayHealth() throws Exception {
        gateway = Gateway.start(fx.config());
        awaitHealth(200);
        for (int i = 0; i < 50; i++) {
            RawHttp slow = RawHttp.connect("127.0.0.1", gateway.metricsPort());
            open.add(slow);
            slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ");
        }
        RawHttp tls = RawHttp.connect("127.0.0.1", gateway.metricsPort());
        open.add(tls);
        tls.send(RawHttp.tlsClientHello());
        for (int i = 0; i < 10; i++) {
            assertThat(health(Duration.ofSeconds(1)).status()).isEqualTo(200);
        }
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.metricsPort() + "/metrics")).timeout(Duration.ofSeconds(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("stardust_gateway_consumer_lag_records");
    }

    @Test
    void theStatusEndpointListensOnLoopbackUnlessConfiguredOtherwise() {
        assertThat(GatewayConfig.METRICS_BIND_ADDRESS.defaultValue()).isEqualTo("127.0.0.1");
        gateway = Gateway.start(fx.config());
        assertThat(gateway.metricsAddress().getAddress().isLoopbackAddress()).as(gateway.metricsAddress().toString()).isTrue();
    }
}
