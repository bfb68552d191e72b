package io.stardust.bench.versus;

import io.stardust.bench.Machine;
import io.stardust.kit.ConnectorStatus;
import io.stardust.kit.EmbeddedConnect;
import io.stardust.kit.EmbeddedMySql;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * StarDust's Kafka Connect sink ({@code connect-sink}, from its plugin archive) in the same Connect worker as the
 * peer, draining the gateway's pre-filled topic of envelopes (the worker's default StringConverter) into a
 * database prepared like the gateway's: the same records as the peer, written the gateway's way, with the same
 * {@code max.poll.records} as the peer.
 */
final class StarDustSinkContender {
    static final String CONNECTOR_CLASS = "io.stardust.connect.StarDustSinkConnector";

    private final EmbeddedMySql mysql;
    private final EmbeddedConnect connect;
    private final DrainMeter meter;

    StarDustSinkContender(EmbeddedMySql mysql, EmbeddedConnect connect, DrainMeter meter) {
        this.mysql = mysql;
        this.connect = connect;
        this.meter = meter;
    }

    static Map<String, String> config(EmbeddedMySql mysql, String database, String topic, int tasks) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", Integer.toString(tasks));
        c.put("topics", topic);
        c.put("stardust.dsn", mysql.jdbcUrl(database));
        c.put("stardust.user", mysql.user());
        c.put("stardust.password", mysql.password());
        c.put("consumer.override.max.poll.records", "2000");
        return c;
    }

    Outcome drain(String database, String topic, int tasks, long records) throws SQLException {
        GatewayContender.prepareDatabase(mysql, database);
        String name = "stardust-" + database;
        String load = Machine.loadAverage();
        connect.createConnector(name, config(mysql, database, topic, tasks));
        try {
            connect.awaitRunning(name, tasks, java.time.Duration.ofMinutes(3));
            DrainMeter.Window window = meter.await("SELECT COUNT(*) FROM `" + database + "`.entry_data", records, () -> failure(name, database));
            return new Outcome("StarDust Connect sink on Connect 4.3.1", tasks + (tasks == 1 ? " partition, 1 task"
                    : " partitions, " + tasks + " tasks"), tasks, records, window, VersusBench.CONNECT_WORKER, load);
        } finally {
            connect.deleteConnector(name);
        }
    }

    private Optional<String> failure(String name, String database) {
        ConnectorStatus status = connect.connectorStatus(name);
        Optional<String> failed = status.failure().map(trace -> "connector " + name + " failed: " + trace);
        if (failed.isPresent()) {
            return failed;
        }
        try {
            long dlq = meter.count("SELECT COUNT(*) FROM `" + database + "`.stardust_ingest_dlq");
            return dlq == 0 ? Optional.empty() : Optional.of(dlq + " records quarantined in " + database + ".stardust_ingest_dlq");
        } catch (SQLException e) {
            return Optional.empty(); // the schema is bootstrapped by the task as it starts
        }
    }
}
