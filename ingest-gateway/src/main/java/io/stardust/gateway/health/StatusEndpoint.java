package io.stardust.gateway.health;

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
 * The gateway's status port: daemon-runtime's {@link io.stardust.daemon.status.StatusEndpoint} (the one every
 * long-running process serves) with the gateway's meters on {@code /metrics} and its probes on {@code /health}
 * (200 {@code {"status":"ok","checks":{...}}} or 503 {@code {"status":"degraded","checks":{...}}}).
 */
public final class StatusEndpoint implements AutoCloseable {
    private final GatewayHealth health;
    private final Admin admin;
    private io.stardust.daemon.status.StatusEndpoint endpoint;

    private StatusEndpoint(GatewayHealth health, Admin admin) {
        this.health = health;
        this.admin = admin;
    }

    /** Starts the probes and binds the port. */
    public static StatusEndpoint start(StatusSettings settings, GatewayMetrics metrics, DataSource pool,
                                       ConsumerProgress consumer, Clock clock) {
        Admin admin = Admin.create(adminProperties(settings));
        GatewayHealth health = GatewayHealth.start(pool, admin, consumer, settings.probeInterval(),
                settings.probeTimeout(), clock);
        StatusEndpoint status = new StatusEndpoint(health, admin);
        try {
            status.endpoint = io.stardust.daemon.status.StatusEndpoint.start("gateway-status", settings.bindAddress(),
                    settings.port(), metrics::scrape, () -> {
                        GatewayHealth.Report r = health.report();
                        return new io.stardust.daemon.status.StatusEndpoint.Health(r.healthy(), r.json());
                    });
        } catch (RuntimeException e) {
            status.close();
            throw e;
        }
        return status;
    }

    public InetSocketAddress address() {
        return endpoint.address();
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
            endpoint.close();
        }
        health.close();
        admin.close(Duration.ofSeconds(2));
    }
}
