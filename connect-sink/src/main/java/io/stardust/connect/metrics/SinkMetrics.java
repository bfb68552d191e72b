package io.stardust.connect.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * The task's metrics through Connect's {@link PluginMetrics} (KIP-877: published by the worker under its JMX
 * domain with the connector and task tags): records written, records quarantined per reason, batch latency, and
 * batches that hit an unavailable MySQL. On a worker older than Kafka 4.1 there is no {@code PluginMetrics}: the
 * task then runs without metrics ({@link #NONE}).
 */
public final class SinkMetrics {
    public static final SinkMetrics NONE = new SinkMetrics(null);

    private final PluginMetrics metrics;
    /**
     * Sensor names are global to the worker's metrics registry (only metric names carry the task's tags): a
     * prefix of this task's own keeps two tasks in one worker from recording into one sensor.
     */
    private final String sensorPrefix = "stardust-sink-" + java.util.UUID.randomUUID() + "-";
    private final Sensor written;
    private final Sensor latency;
    private final Sensor retries;
    private final Map<String, Sensor> quarantined = new ConcurrentHashMap<>();

    public SinkMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        if (metrics == null) {
            written = null;
            latency = null;
            retries = null;
            return;
        }
        written = metrics.addSensor(sensorPrefix + "records-written");
        written.add(metrics.metricName("records-written-total", "Records written to MySQL (created, updated, deleted or unchanged)", tags()),
                new CumulativeSum());
        latency = metrics.addSensor(sensorPrefix + "batch-latency");
        latency.add(metrics.metricName("batch-latency-avg", "Average time (ms) to write one put() batch in its MySQL transaction", tags()),
                new Avg());
        latency.add(metrics.metricName("batch-latency-max", "Longest time (ms) to write one put() batch", tags()), new Max());
        retries = metrics.addSensor(sensorPrefix + "batch-retries");
        retries.add(metrics.metricName("batch-retries-total", "Batches handed back to Connect because MySQL was unavailable", tags()),
                new CumulativeSum());
    }

    public void committed(int written, long latencyMs) {
        if (metrics != null) {
            this.written.record(written);
            latency.record(latencyMs);
        }
    }

    public void quarantined(String reason) {
        if (metrics != null) {
            quarantined.computeIfAbsent(reason, r -> {
                Sensor s = metrics.addSensor(sensorPrefix + "records-quarantined-" + r);
                LinkedHashMap<String, String> tags = tags();
                tags.put("reason", r);
                s.add(metrics.metricName("records-quarantined-total", "Records quarantined in the DLQ table, by reason", tags),
                        new CumulativeSum());
                return s;
            }).record();
        }
    }

    public void retried() {
        if (metrics != null) {
            retries.record();
        }
    }

    private static LinkedHashMap<String, String> tags() {
        return new LinkedHashMap<>();
    }
}
