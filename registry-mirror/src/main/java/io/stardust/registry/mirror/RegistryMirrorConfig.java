package io.stardust.registry.mirror;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ProcessSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry mirror's settings, declared once (key, default, documentation, validation); environment variables
 * are {@code STARDUST_} + the key in upper snake case. The README's option table is {@link #definition()}'s
 * {@code markdownTable()}.
 */
public record RegistryMirrorConfig(MySqlTarget mysql, String user, String password, String kafkaBootstrap, String topic,
                                   int topicPartitions, short replicationFactor, String name, long serverId,
                                   String offsetsTopic, String historyTopic, Duration offsetFlushInterval,
                                   Duration heartbeatInterval, Duration shutdownTimeout, int metricsPort) {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = ConfigOption.string("kafkaBootstrap", null,
            "Kafka bootstrap servers (host:port,...).");
    public static final ConfigOption<String> TOPIC = ConfigOption.string("registryMirrorTopic", "stardust.registry",
            "Compacted topic the registry changes are published to (created with cleanup.policy=compact if missing;"
                    + " an existing topic that is not compacted is refused).");
    public static final ConfigOption<Integer> TOPIC_PARTITIONS = ConfigOption.integer("registryMirrorTopicPartitions", 1,
            "Partitions of the registry topic when the mirror creates it. One keeps a total order over all registry"
                    + " changes; more keep the order per row only.").between(1, 1000);
    public static final ConfigOption<Integer> REPLICATION_FACTOR = ConfigOption.integer("registryMirrorReplicationFactor",
            -1, "Replication factor of the topics the mirror creates (registry, offsets, schema history); -1 = the"
                    + " broker's default.").between(-1, 32);
    public static final ConfigOption<String> NAME = ConfigOption.string("registryMirrorName", "stardust-registry-mirror",
            "Name of this mirror: the Debezium engine name and topic prefix, the key of its stored offsets and the"
                    + " name of its metrics. Changing it starts over with a new snapshot.");
    public static final ConfigOption<Long> SERVER_ID = ConfigOption.longInt("registryMirrorServerId", 5401,
            "Replica server id the mirror's binlog client uses; unique among the server's replicas and different"
                    + " from the server's own server_id.").atLeast(1);
    public static final ConfigOption<String> OFFSETS_TOPIC = ConfigOption.string("registryMirrorOffsetsTopic",
            "stardust.registry-mirror.offsets", "Compacted topic holding the mirror's binlog position (Debezium offsets).");
    public static final ConfigOption<String> HISTORY_TOPIC = ConfigOption.string("registryMirrorHistoryTopic",
            "stardust.registry-mirror.schema-history", "Topic holding the DDL history of the registry tables"
                    + " (one partition, never deleted).");
    public static final ConfigOption<Duration> OFFSET_FLUSH_INTERVAL = ConfigOption.duration(
            "registryMirrorOffsetFlushInterval", Duration.ofSeconds(1), "How often the position of acknowledged changes"
                    + " is stored; after a crash at most this much is published again.");
    public static final ConfigOption<Duration> HEARTBEAT_INTERVAL = ConfigOption.duration(
            "registryMirrorHeartbeatInterval", Duration.ofSeconds(10), "How often the stored position advances while"
                    + " only other tables change, so binlog purging does not overtake an idle mirror.");
    public static final ConfigOption<Duration> SHUTDOWN_TIMEOUT = ConfigOption.duration("registryMirrorShutdownTimeout",
            Duration.ofSeconds(30), "After SIGTERM/SIGINT or the shutdown flag file"
                    + " <pidFileDir>/registry-mirror.shutdown, how long to wait for the batch in flight to be acknowledged"
                    + " and its position stored; a mirror not stopped 5 s after this exits 1.");
    public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.integer("registryMirrorMetricsPort", 9405,
            "Port of the Prometheus endpoint (/metrics, /health) on all interfaces; 0 = any free port, -1 = off.")
            .between(-1, 65_535);

    public static final List<ConfigOption<?>> OPTIONS = List.of(KAFKA_BOOTSTRAP, TOPIC, TOPIC_PARTITIONS,
            REPLICATION_FACTOR, NAME, SERVER_ID, OFFSETS_TOPIC, HISTORY_TOPIC, OFFSET_FLUSH_INTERVAL, HEARTBEAT_INTERVAL,
            SHUTDOWN_TIMEOUT, METRICS_PORT);

    /** The connection options (dsn, user, pass) followed by the mirror's. */
    public static ConfigDef definition() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(StarDustConfig.DSN, StarDustConfig.USER, StarDustConfig.PASS));
        all.addAll(OPTIONS);
        all.add(ProcessSettings.PID_FILE_DIR);
        return ConfigDef.of(all);
    }

    public static RegistryMirrorConfig from(ConfigValues v) {
        return new RegistryMirrorConfig(MySqlTarget.parse(v.require(StarDustConfig.DSN)), v.require(StarDustConfig.USER),
                v.get(StarDustConfig.PASS), v.require(KAFKA_BOOTSTRAP), v.require(TOPIC), v.get(TOPIC_PARTITIONS),
                v.get(REPLICATION_FACTOR).shortValue(), v.require(NAME), v.get(SERVER_ID), v.require(OFFSETS_TOPIC),
                v.require(HISTORY_TOPIC), v.get(OFFSET_FLUSH_INTERVAL), v.get(HEARTBEAT_INTERVAL), v.get(SHUTDOWN_TIMEOUT),
                v.get(METRICS_PORT));
    }

    @Override
    public String toString() {
        return "RegistryMirrorConfig[mysql=" + mysql + ", user=" + user + ", topic=" + topic + ", name=" + name
                + ", serverId=" + serverId + "]";
    }
}
