package io.stardust.gateway.health;

import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpEndpoint;
import io.stardust.daemon.http.HttpEndpointOptions;
import io.stardust.daemon.http.HttpObserver;
import io.stardust.daemon.http.HttpReply;
import io.stardust.daemon.http.HttpService;
import io.stardust.gateway.metrics.GatewayMetrics;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The gateway's status port: {@code GET /metrics} (Prometheus text) and {@code GET /health} (200
 * {@code {"status":"ok","checks":{...}}} or 503 {@code {"status":"degraded","checks":{...}}}), served by
 * daemon-runtime's {@link HttpEndpoint}, so slow or broken clients cannot block a liveness probe.
 */
public final class StatusEndpoint implements HttpService, AutoCloseable {
    /** Probes and scrapes are few and quick: a handful of workers and connections is plenty. */
    private static final int THREADS = 4;
    private static final int MAX_CONNECTIONS = 64;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final GatewayMetrics metrics;
    private final GatewayHealth health;
    private final Admin admin;
    private HttpEndpoint endpoint;

    private StatusEndpoint(GatewayMetrics metrics, GatewayHealth health, Admin admin) {
        this.metrics = metrics;
        this.health = health;
        this.admin = admin;
    }

    /** Starts the probes and binds the port. */
    public static StatusEndpoint start(StatusSettings settings, GatewayMetrics metrics, DataSource pool,
                                       ConsumerProgress consumer, Clock clock) {
        Admin admin = Admin.create(adminProperties(settings));
        GatewayHealth health = GatewayHealth.start(pool, admin, consumer, settings.probeInterval(),
                settings.probeTimeout(), clock);
        StatusEndpoint status = new StatusEndpoint(metrics, health, admin);
        try {
            status.endpoint = HttpEndpoint.start("gateway-status", HttpEndpointOptions
                    .defaults(settings.bindAddress(), settings.port(), 0)
                    .withLimits(THREADS, MAX_CONNECTIONS)
                    .withStopTimeout(STOP_TIMEOUT), status, HttpObserver.NONE);
        } catch (RuntimeException e) {
            status.close();
            throw e;
        }
        return status;
    }

    public InetSocketAddress address() {
        return endpoint.localAddress();
    }

    @Override
    public HttpReply serve(HttpCall call) {
        if (!"GET".equals(call.method()) && !"HEAD".equals(call.method())) {
            return HttpReply.error(405, "method_not_allowed", call.method() + " is not allowed; use GET")
                    .withHeader("Allow", "GET");
        }
        return switch (call.rawPath()) {
            case "/health" -> {
                GatewayHealth.Report r = health.report();
                yield HttpReply.json(r.healthy() ? 200 : 503, r.json());
            }
            case "/metrics" -> HttpReply.text(200, PROMETHEUS_TEXT, metrics.scrape());
            default -> HttpReply.error(404, "route_not_found", "no such endpoint; try /health or /metrics");
        };
    }

    private static Properties adminProperties(StatusSettings s) {
        int timeoutMs = (int) s.probeTimeout().toMillis();
        Properties p = new Properties();
        p.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrap(),
                AdminClientConfig.CLIENT_ID_CONFIG, "stardust-gateway-health-" + ProcessHandle.current().pid(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs),
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs),
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Integer.toString(timeoutMs),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000"));
        return p;
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.stop();
        }
        health.close();
        admin.close(Duration.ofSeconds(2));
    }
}
