package io.stardust.registry.mirror;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stardust.daemon.status.StatusEndpoint;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The mirror's meters, in a Micrometer Prometheus registry served at {@code /metrics} by the status endpoint every
 * process has. Names in Prometheus form: {@code stardust_registry_mirror_events_published_total{table}},
 * {@code stardust_registry_mirror_lag_seconds} (Debezium's own measure of how far behind the binlog the stream
 * is: from a change's commit to its processing), {@code stardust_registry_mirror_last_commit_age_seconds}
 * (from the commit of the last published change to now), {@code stardust_registry_mirror_publish_failures_total}.
 */
final class MirrorMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Instant> lastCommit = new AtomicReference<>();
    private final Counter failures;
    private final Clock clock;
    private StatusEndpoint server;

    MirrorMetrics(String mirrorName, Clock clock) {
        this.clock = clock;
        failures = Counter.builder("stardust.registry.mirror.publish.failures")
                .description("Batches whose publication failed (the engine stops; nothing is marked processed)")
                .register(registry);
        Gauge.builder("stardust.registry.mirror.lag", () -> debeziumLagMillis(mirrorName) / 1000.0)
                .description("How far the binlog stream is behind MySQL: commit of the last change to its processing")
                .baseUnit("seconds").register(registry);
        Gauge.builder("stardust.registry.mirror.last.commit.age", () -> {
            Instant t = lastCommit.get();
            return t == null ? Double.NaN : (clock.millis() - t.toEpochMilli()) / 1000.0;
        }).description("Time since the commit of the last published registry change").baseUnit("seconds").register(registry);
    }

    void published(String table, Instant committedAt) {
        registry.counter("stardust.registry.mirror.events.published", "table", table).increment();
        lastCommit.set(committedAt);
    }

    void publishFailed() {
        failures.increment();
    }

    double eventsPublished() {
        return registry.find("stardust.registry.mirror.events.published").counters().stream().mapToDouble(Counter::count).sum();
    }

    String scrape() {
        return registry.scrape();
    }

    /** Debezium's streaming MBean for this mirror ({@code topic.prefix} is the mirror name); NaN before it exists. */
    private static double debeziumLagMillis(String mirrorName) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName n : mbeans.queryNames(new ObjectName("debezium.mysql:type=connector-metrics,context=streaming,*"), null)) {
                if (mirrorName.equals(n.getKeyProperty("server"))) {
                    Object v = mbeans.getAttribute(n, "MilliSecondsBehindSource");
                    return v instanceof Number num && num.longValue() >= 0 ? num.doubleValue() : Double.NaN;
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * Serves {@code /metrics} and {@code /health} on every interface (daemon-runtime's status endpoint, as every
     * process does); port 0 picks a free one; returns the bound port.
     */
    int serve(int port) {
        server = StatusEndpoint.start("registry-mirror-status", "0.0.0.0", port, this::scrape, StatusEndpoint.Health::ok);
        return server.address().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        registry.close();
    }
}
