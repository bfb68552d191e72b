package io.stardust.gateway.health;

import io.stardust.engine.json.Json;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * The gateway's health: MySQL reachable ({@code SELECT 1} through the gateway's pool), broker reachable
 * ({@code describeCluster}), consumer making progress ({@link ConsumerProgress}). The probes run on their own
 * threads every interval; {@link #report()} only reads their latest results.
 */
public final class GatewayHealth implements AutoCloseable {
    /** What {@code /health} answers: 200 when every check is ok, else 503 naming each check's state. */
    public record Report(boolean healthy, String json) {
    }

    private final List<Probe> probes;
    private final ConsumerProgress consumer;
    private final ScheduledExecutorService scheduler;

    private GatewayHealth(List<Probe> probes, ConsumerProgress consumer, ScheduledExecutorService scheduler) {
        this.probes = probes;
        this.consumer = consumer;
        this.scheduler = scheduler;
    }

    /** Starts probing MySQL and the broker now and then every {@code interval}. */
    public static GatewayHealth start(DataSource pool, Admin admin, ConsumerProgress consumer, Duration interval,
                                      Duration timeout, Clock clock) {
        List<Probe> probes = List.of(
                new Probe("mysql", t -> selectOne(pool, t), timeout, clock),
                new Probe("broker", t -> describeCluster(admin, t), timeout, clock));
        // One thread per probe: a MySQL probe stuck on the pool's connect wait must not delay the broker's.
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(probes.size(), r -> {
            Thread t = new Thread(r, "gateway-health");
            t.setDaemon(true);
            return t;
        });
        for (Probe p : probes) {
            scheduler.scheduleWithFixedDelay(p, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new GatewayHealth(probes, consumer, scheduler);
    }

    public Report report() {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean healthy = true;
        for (Probe p : probes) {
            CheckResult r = p.result();
            healthy &= r.healthy();
            checks.put(p.name(), r.toMap());
        }
        CheckResult progress = consumer.result();
        healthy &= progress.healthy();
        checks.put("consumer", progress.toMap());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("checks", checks);
        return new Report(healthy, Json.write(body));
    }

    private static void selectOne(DataSource pool, Duration timeout) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            s.execute("SELECT 1");
        }
    }

    private static void describeCluster(Admin admin, Duration timeout) throws Exception {
        Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (nodes.isEmpty()) {
            throw new IllegalStateException("the cluster reports no broker");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
