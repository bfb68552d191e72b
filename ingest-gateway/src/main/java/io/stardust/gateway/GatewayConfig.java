package io.stardust.gateway;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ProcessSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's settings, declared once (key, default, documentation, validation); environment variables are
 * {@code STARDUST_} + the key in upper snake case. The README's configuration table is {@link #definition()}'s
 * {@code markdownTable()}.
 */
public record GatewayConfig(StarDustConfig engine, String kafkaBootstrap, String groupId, String instanceId, String topic,
                            String eventsTopic, String dlqTopic, int batchMaxRecords, int batchMaxBytes,
                            Duration batchLinger, int maxRecordBytes, Duration retryBackoffMin, Duration retryBackoffMax,
                            Duration sessionTimeout, Duration maxPollInterval, Duration shutdownTimeout, int metricsPort,
                            boolean relayEnabled, int relayBatchSize, Duration relayIdle, int dlqMaxAttempts,
                            String metricsBindAddress, Duration healthProbeInterval, Duration healthProbeTimeout,
                            Duration healthStallTimeout, boolean eventsAfterImage) {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = ConfigOption.string("kafkaBootstrap", null,
            "Kafka bootstrap servers (host:port,...).");
    public static final ConfigOption<String> GROUP_ID = ConfigOption.string("gatewayGroupId", "stardust-gateway",
            "Consumer group id. Offsets are stored in MySQL (stardust_ingest_offsets) under this name, never in Kafka.");
    public static final ConfigOption<String> INSTANCE_ID = ConfigOption.string("gatewayInstanceId", "",
            "Static group membership id (group.instance.id). Set it per instance so a restarted gateway gets its partitions"
                    + " back at once instead of after the session timeout; empty = dynamic membership.");
    public static final ConfigOption<String> TOPIC = ConfigOption.string("gatewayTopic", "stardust.entries",
            "Topic of entry records to ingest.");
    public static final ConfigOption<String> EVENTS_TOPIC = ConfigOption.string("gatewayEventsTopic",
            "stardust.entries.events", "Topic the outbox relay publishes entry events to.");
    public static final ConfigOption<String> DLQ_TOPIC = ConfigOption.string("gatewayDlqTopic", "",
            "Optional topic that quarantined records are also copied to, with Connect-style __connect.errors.* headers;"
                    + " empty = MySQL DLQ table only.");
    public static final ConfigOption<Integer> BATCH_MAX_RECORDS = ConfigOption.integer("gatewayBatchMaxRecords", 2000,
            "Most records written in one MySQL transaction.").between(1, 50_000);
    public static final ConfigOption<Integer> BATCH_MAX_BYTES = ConfigOption.integer("gatewayBatchMaxBytes", 8 << 20,
            "Most record bytes (keys + values) written in one MySQL transaction.").atLeast(1024);
    public static final ConfigOption<Duration> BATCH_LINGER = ConfigOption.duration("gatewayBatchLinger",
            Duration.ofMillis(20), "How long a partial batch waits for more records before it is written.");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOption.integer("gatewayMaxRecordBytes", 1 << 20,
            "Records whose key + value exceed this many bytes are quarantined with reason too_large.").atLeast(64);
    public static final ConfigOption<Duration> RETRY_BACKOFF_MIN = ConfigOption.duration("gatewayRetryBackoffMin",
            Duration.ofMillis(100), "First wait before retrying a batch after a MySQL error (doubles up to the max).");
    public static final ConfigOption<Duration> RETRY_BACKOFF_MAX = ConfigOption.duration("gatewayRetryBackoffMax",
            Duration.ofSeconds(10), "Longest wait between retries of a batch while MySQL is unavailable.");
    public static final ConfigOption<Duration> SESSION_TIMEOUT = ConfigOption.duration("gatewaySessionTimeout",
            Duration.ofSeconds(45), "Consumer session.timeout.ms: how long a dead gateway keeps its partitions.");
    public static final ConfigOption<Duration> MAX_POLL_INTERVAL = ConfigOption.duration("gatewayMaxPollInterval",
            Duration.ofMinutes(5), "Consumer max.poll.interval.ms. poll() keeps running while MySQL is slow, so this is"
                    + " never what a slow write trips.");
    public static final ConfigOption<Duration> SHUTDOWN_TIMEOUT = ConfigOption.duration("gatewayShutdownTimeout",
            Duration.ofSeconds(30), "After SIGTERM/SIGINT or the flag file <pidFileDir>/gateway.shutdown, how long to wait for the batch in flight"
                    + " to commit; a gateway not stopped 5 s after this exits 1.");
    public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.integer("gatewayMetricsPort", 9404,
            "Port of the status endpoint (/metrics for Prometheus, /health) on gatewayMetricsBindAddress; 0 = any free"
                    + " port, -1 = off.").between(-1, 65_535);
    public static final ConfigOption<String> METRICS_BIND_ADDRESS = ConfigOption.string("gatewayMetricsBindAddress",
            "127.0.0.1", "Address the status endpoint binds to. Loopback by default: it has no authentication, and"
                    + " anyone who can reach it can read the metrics; 0.0.0.0 = every interface.");
    public static final ConfigOption<Duration> HEALTH_PROBE_INTERVAL = positive(ConfigOption.duration(
            "gatewayHealthProbeInterval", Duration.ofSeconds(5),
            "How often /health probes MySQL (SELECT 1) and the broker (describeCluster); /health answers from the"
                    + " latest results and never waits for a probe."));
    public static final ConfigOption<Duration> HEALTH_PROBE_TIMEOUT = positive(ConfigOption.duration(
            "gatewayHealthProbeTimeout", Duration.ofSeconds(2),
            "A MySQL or broker probe without an answer within this counts as down."));
    public static final ConfigOption<Duration> HEALTH_STALL_TIMEOUT = positive(ConfigOption.duration(
            "gatewayHealthStallTimeout", Duration.ofMinutes(1),
            "/health reports the consumer stalled when records have waited this long without a batch committing, or"
                    + " the consumer loop has not reported for this long."));
    public static final ConfigOption<Boolean> RELAY_ENABLED = ConfigOption.bool("gatewayRelayEnabled", true,
            "Run the outbox relay in this process (one relay is active per database at a time; others stand by).");
    public static final ConfigOption<Integer> RELAY_BATCH_SIZE = ConfigOption.integer("gatewayRelayBatchSize", 1000,
            "Outbox events published per relay round: whole outbox rows (one write's events, e.g. a gateway batch) until"
                    + " at least this many.").between(1, 10_000);
    public static final ConfigOption<Duration> RELAY_IDLE = ConfigOption.duration("gatewayRelayIdle",
            Duration.ofMillis(200), "Relay poll interval when the outbox is empty (a commit by this gateway wakes it early).");
    public static final ConfigOption<Boolean> EVENTS_AFTER_IMAGE = ConfigOption.bool("gatewayEventsAfterImage", false,
            "Events of the entries this gateway writes carry the entry's fields after the change (member fields, as"
                    + " stored), so a consumer can rebuild every entry from the events topic alone. Off by default: the outbox"
                    + " then holds every payload a second time until it is published.");
    public static final ConfigOption<Integer> DLQ_MAX_ATTEMPTS = ConfigOption.integer("gatewayDlqMaxAttempts", 5,
            "Default attempt limit of ingest:dlq:replay: rows tried this often are left alone.").atLeast(1);

    public static final List<ConfigOption<?>> OPTIONS = List.of(KAFKA_BOOTSTRAP, GROUP_ID, INSTANCE_ID, TOPIC,
            EVENTS_TOPIC, DLQ_TOPIC, BATCH_MAX_RECORDS, BATCH_MAX_BYTES, BATCH_LINGER, MAX_RECORD_BYTES,
            RETRY_BACKOFF_MIN, RETRY_BACKOFF_MAX, SESSION_TIMEOUT, MAX_POLL_INTERVAL, SHUTDOWN_TIMEOUT, METRICS_PORT,
            METRICS_BIND_ADDRESS, HEALTH_PROBE_INTERVAL, HEALTH_PROBE_TIMEOUT, HEALTH_STALL_TIMEOUT, RELAY_ENABLED,
            RELAY_BATCH_SIZE, RELAY_IDLE, DLQ_MAX_ATTEMPTS, EVENTS_AFTER_IMAGE);

    /** Engine options (connection, pool) followed by the gateway's. */
    public static ConfigDef definition() {
        List<ConfigOption<?>> all = new ArrayList<>(StarDustConfig.OPTIONS);
        all.addAll(OPTIONS);
        all.add(ProcessSettings.PID_FILE_DIR);
        return ConfigDef.of(all);
    }

    public static GatewayConfig from(ConfigValues v) {
        return new GatewayConfig(StarDustConfig.from(v), v.require(KAFKA_BOOTSTRAP), v.require(GROUP_ID),
                v.get(INSTANCE_ID), v.require(TOPIC), v.require(EVENTS_TOPIC), v.get(DLQ_TOPIC), v.get(BATCH_MAX_RECORDS),
                v.get(BATCH_MAX_BYTES), v.get(BATCH_LINGER), v.get(MAX_RECORD_BYTES), v.get(RETRY_BACKOFF_MIN),
                v.get(RETRY_BACKOFF_MAX), v.get(SESSION_TIMEOUT), v.get(MAX_POLL_INTERVAL), v.get(SHUTDOWN_TIMEOUT),
                v.get(METRICS_PORT), v.get(RELAY_ENABLED), v.get(RELAY_BATCH_SIZE), v.get(RELAY_IDLE),
                v.get(DLQ_MAX_ATTEMPTS), v.require(METRICS_BIND_ADDRESS), v.get(HEALTH_PROBE_INTERVAL),
                v.get(HEALTH_PROBE_TIMEOUT), v.get(HEALTH_STALL_TIMEOUT), v.get(EVENTS_AFTER_IMAGE));
    }

    public boolean hasDlqTopic() {
        return dlqTopic != null && !dlqTopic.isBlank();
    }

    private static ConfigOption<Duration> positive(ConfigOption<Duration> option) {
        return option.withValidator(d -> d.isNegative() || d.isZero() ? "must be positive" : null);
    }
}
