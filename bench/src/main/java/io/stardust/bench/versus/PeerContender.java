package io.stardust.bench.versus;

import io.stardust.bench.Machine;
import io.stardust.kit.ConnectorStatus;
import io.stardust.kit.EmbeddedConnect;
import io.stardust.kit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The peer: Debezium's JDBC sink connector (3.6.0.Final, from its Maven Central plugin archive) in a real Kafka
 * Connect 4.3.1 worker, draining a pre-filled topic of JsonConverter records (schemas enabled, struct key) into
 * its own database with upserts by primary key.
 */
final class PeerContender {
    static final String CONTENDER = "Debezium JDBC sink 3.6.0 on Connect 4.3.1";
    static final String CONNECTOR_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector";
    private static final Duration START_WAIT = Duration.ofMinutes(3);

    private final EmbeddedMySql mysql;
    private final EmbeddedConnect connect;
    private final DrainMeter meter;

    PeerContender(EmbeddedMySql mysql, EmbeddedConnect connect, DrainMeter meter) {
        this.mysql = mysql;
        this.connect = connect;
        this.meter = meter;
    }

    /**
     * The table the connector writes, created up front exactly as its {@code schema.evolution=basic} creates it
     * from these records (columns and types copied from its {@code SHOW CREATE TABLE}), plus one secondary index per
     * field: the peer of the gateway's three indexed slots (the string one on the same 766-character prefix), so
     * both make the same fields filterable at index speed.
     */
    static void prepareDatabase(EmbeddedMySql mysql, String database) throws SQLException {
        mysql.recreateDatabase(database);
        try (Connection c = mysql.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench (id BIGINT NOT NULL, name LONGTEXT NOT NULL, qty INT NOT NULL,"
                    + " created DATETIME(6) NOT NULL, PRIMARY KEY (id), KEY ix_bench_name (name(766)),"
                    + " KEY ix_bench_qty (qty), KEY ix_bench_created (created))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci");
        }
    }

    /** The connector's configuration: what the task asks for, nothing tuned beyond it. */
    static Map<String, String> config(EmbeddedMySql mysql, String database, String topic, int tasks) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", Integer.toString(tasks));
        c.put("topics", topic);
        c.put("connection.url", "jdbc:mysql://127.0.0.1:" + mysql.port() + "/" + database
                + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true");
        c.put("connection.username", mysql.user());
        c.put("connection.password", mysql.password());
        c.put("insert.mode", "upsert");
        c.put("primary.key.mode", "record_key");
        c.put("primary.key.fields", "id");
        c.put("schema.evolution", "basic");
        c.put("collection.name.format", "bench");
        c.put("batch.size", "2000");
        // Connect hands a sink task at most max.poll.records (500 by default) per put(); without this, batch.size=2000
        // could never fill. The gateway polls 2000 records at a time too.
        c.put("consumer.override.max.poll.records", "2000");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        return c;
    }

    Outcome drain(String database, String topic, int tasks, long records) throws SQLException {
        prepareDatabase(mysql, database);
        String name = "peer-" + database;
        String load = Machine.loadAverage();
        connect.createConnector(name, config(mysql, database, topic, tasks));
        try {
            connect.awaitRunning(name, tasks, START_WAIT);
            DrainMeter.Window window = meter.await("SELECT COUNT(*) FROM `" + database + "`.bench", records, () -> failure(name));
            return new Outcome(CONTENDER, tasks + (tasks == 1 ? " partition, 1 task"
                    : " partitions, " + tasks + " tasks"), tasks, records, window, VersusBench.CONNECT_WORKER, load);
        } finally {
            connect.deleteConnector(name);
        }
    }

    private Optional<String> failure(String name) {
        ConnectorStatus status = connect.connectorStatus(name);
        return status.failure().map(trace -> "connector " + name + " failed: " + trace);
    }
}
