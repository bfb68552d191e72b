package io.stardust.registry.mirror;

import java.util.Properties;

/** The Debezium engine and MySQL connector properties for one mirror configuration. */
final class DebeziumSettings {
    /** Debezium's topic for heartbeat records; they never leave the process. */
    static final String HEARTBEAT_TOPIC_PREFIX = "__stardust-registry-mirror-heartbeat";

    private DebeziumSettings() {
    }

    static Properties of(RegistryMirrorConfig cfg) {
        Properties p = new Properties();
        p.setProperty("name", cfg.name());
        p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.setProperty("topic.prefix", cfg.name());

        // Offsets and schema history in Kafka (README: "Where the position is kept").
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("bootstrap.servers", cfg.kafkaBootstrap());
        p.setProperty("offset.storage.topic", cfg.offsetsTopic());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(cfg.replicationFactor()));
        p.setProperty("offset.flush.interval.ms", Long.toString(cfg.offsetFlushInterval().toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");
        p.setProperty("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
        p.setProperty("schema.history.internal.kafka.bootstrap.servers", cfg.kafkaBootstrap());
        p.setProperty("schema.history.internal.kafka.topic", cfg.historyTopic());
        p.setProperty("schema.history.internal.kafka.replication.factor", Short.toString(cfg.replicationFactor()));
        // The Watcher keeps creating slot page tables: their DDL is parsed but never stored.
        p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
        p.setProperty("schema.history.internal.store.only.captured.databases.ddl", "true");

        p.setProperty("database.hostname", cfg.mysql().host());
        p.setProperty("database.port", Integer.toString(cfg.mysql().port()));
        p.setProperty("database.user", cfg.user());
        p.setProperty("database.password", cfg.password() == null ? "" : cfg.password());
        p.setProperty("database.server.id", Long.toString(cfg.serverId()));
        p.setProperty("database.include.list", RegistryTables.quote(cfg.mysql().database()));
        p.setProperty("table.include.list", RegistryTables.includeList(cfg.mysql().database()));

        // First start: a consistent snapshot of the registry, then the binlog from that point. Later starts resume
        // from the stored position; if the binlog there is gone the connector fails instead of re-snapshotting.
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("include.schema.changes", "false");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("heartbeat.interval.ms", Long.toString(cfg.heartbeatInterval().toMillis()));
        p.setProperty("topic.heartbeat.prefix", HEARTBEAT_TOPIC_PREFIX);
        p.setProperty("connect.keep.alive", "true");
        // Followers drop their caches from the topic, so a change's way from the binlog to the topic is what a
        // stale read waits for; the default 500 ms between polls of the in-memory queue would be most of a second.
        p.setProperty("poll.interval.ms", "100");
        return p;
    }
}
