package io.stardust.daemon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stardust.daemon.status.StatusEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A daemon's meters, served on its status endpoint: {@code stardust_daemon_ticks_total{daemon,outcome}} (outcome
 * {@code work_done}, {@code idle}, {@code capacity_wait}, {@code failed}), {@code stardust_daemon_tick_seconds}
 * (a timer of completed ticks), {@code stardust_daemon_db_available} (0 while ticks fail on a database outage),
 * {@code stardust_daemon_last_tick_age_seconds}. {@code /health} is 503 while the database is unavailable.
 */
final class DaemonMetrics implements PollLoop.Observer {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<TickOutcome, Counter> outcomes = new EnumMap<>(TickOutcome.class);
    private final Counter failed;
    private final Timer tickTime;
    private final Clock clock;
    private volatile boolean dbAvailable = true;
    private volatile long lastTickMillis = -1;

    DaemonMetrics(String daemon, Clock clock) {
        this.clock = clock;
        for (TickOutcome o : TickOutcome.values()) {
            outcomes.put(o, Counter.builder("stardust.daemon.ticks").tag("daemon", daemon)
                    .tag("outcome", o.name().toLowerCase(Locale.ROOT)).description("Ticks by outcome").register(registry));
        }
        failed = Counter.builder("stardust.daemon.ticks").tag("daemon", daemon).tag("outcome", "failed")
                .description("Ticks by outcome").register(registry);
        tickTime = Timer.builder("stardust.daemon.tick").tag("daemon", daemon).description("Duration of completed ticks")
                .register(registry);
        Gauge.builder("stardust.daemon.db.available", () -> dbAvailable ? 1 : 0).tag("daemon", daemon)
                .description("0 while ticks fail because the database is unavailable").register(registry);
        Gauge.builder("stardust.daemon.last.tick.age", () -> lastTickMillis < 0 ? Double.NaN
                        : (clock.millis() - lastTickMillis) / 1000.0).tag("daemon", daemon).baseUnit("seconds")
                .description("Time since the last tick ended").register(registry);
    }

    @Override
    public void ticked(TickOutcome outcome, Duration took) {
        outcomes.get(outcome).increment();
        tickTime.record(took);
        dbAvailable = true;
        lastTickMillis = clock.millis();
    }

    @Override
    public void failed(Throwable error, boolean retried) {
        failed.increment();
        dbAvailable = !retried; // a retried failure is a database outage (DbOutagePolicy)
        lastTickMillis = clock.millis();
    }

    String scrape() {
        return registry.scrape();
    }

    StatusEndpoint.Health health() {
        return dbAvailable ? StatusEndpoint.Health.ok()
                : new StatusEndpoint.Health(false, "{\"status\":\"degraded\",\"checks\":{\"database\":\"unavailable\"}}");
    }
}
