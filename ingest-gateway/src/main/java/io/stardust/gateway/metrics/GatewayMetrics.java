package io.stardust.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's meters, in a Micrometer Prometheus registry (served at {@code /metrics} by
 * {@code io.stardust.gateway.health.StatusEndpoint}). Names in Prometheus form: {@code stardust_gateway_records_total{outcome}},
 * {@code stardust_gateway_dlq_records_total{reason}}, {@code stardust_gateway_batch_records},
 * {@code stardust_gateway_batch_latency_seconds}, {@code stardust_gateway_batch_retries_total},
 * {@code stardust_gateway_consumer_lag_records}, {@code stardust_gateway_events_published_total},
 * {@code stardust_gateway_outbox_backlog_events}.
 */
public final class GatewayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong backlog = new AtomicLong();
    private final DistributionSummary batchSize;
    private final Timer batchLatency;
    private final Counter retries;
    private final Counter published;

    public GatewayMetrics() {
        batchSize = DistributionSummary.builder("stardust.gateway.batch.records")
                .description("Records per committed batch").publishPercentiles(0.5, 0.99).register(registry);
        batchLatency = Timer.builder("stardust.gateway.batch.latency")
                .description("From handing a batch to the writer to its commit, retries included")
                .publishPercentiles(0.5, 0.99).register(registry);
        retries = Counter.builder("stardust.gateway.batch.retries").description("Batch attempts that failed on MySQL")
                .register(registry);
        published = Counter.builder("stardust.gateway.events.published").description("Outbox events acknowledged by Kafka")
                .register(registry);
        Gauge.builder("stardust.gateway.consumer.lag", lag, AtomicLong::get).description("Records in the topic not yet durable in MySQL")
                .baseUnit("records").register(registry);
        Gauge.builder("stardust.gateway.outbox.backlog", backlog, AtomicLong::get).description("Committed events not yet published")
                .baseUnit("events").register(registry);
    }

    public void batchCommitted(int records, Duration latency, int written, int quarantined) {
        batchSize.record(records);
        batchLatency.record(latency);
        registry.counter("stardust.gateway.records", "outcome", "written").increment(written);
        registry.counter("stardust.gateway.records", "outcome", "quarantined").increment(quarantined);
    }

    public void quarantined(String reason) {
        registry.counter("stardust.gateway.dlq.records", "reason", reason).increment();
    }

    public void retried() {
        retries.increment();
    }

    public void published(int n) {
        published.increment(n);
    }

    public void lag(long records) {
        lag.set(records);
    }

    public void backlog(long events) {
        backlog.set(events);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }
}
