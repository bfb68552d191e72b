package io.stardust.bench.versus;

import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.bench.Machine;
import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.gateway.Gateway;
import io.stardust.kit.EmbeddedMySql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * StarDust's ingest gateway draining a pre-filled topic into its own database: one gateway instance per
 * partition, all in this JVM and one consumer group (how the gateway scales out: each partition is written by
 * one instance). Every record becomes an entry row, a slot-page row and a key row, and the batch one outbox row
 * carrying its events, with the offsets, in one transaction per batch; the relays publish the events meanwhile.
 */
final class GatewayContender {
    private final EmbeddedStack stack;
    private final DrainMeter meter;
    private final Map<String, String> extraSettings;

    GatewayContender(EmbeddedStack stack, DrainMeter meter, Map<String, String> extraSettings) {
        this.stack = stack;
        this.meter = meter;
        this.extraSettings = extraSettings;
    }

    /** A fresh database with the StarDust schema, the tenant's {@code bench} model and an indexed slot per field. */
    static void prepareDatabase(EmbeddedMySql mysql, String database) {
        mysql.recreateDatabase(database);
        try (StarDust engine = StarDust.connect(StarDustConfig.of(mysql.jdbcUrl(database), mysql.user(), mysql.password()))) {
            engine.bootstrap();
            ModelDefinition model = engine.defineModel(BenchRow.TENANT, BenchRow.MODEL, BenchRow.FIELDS);
            engine.ensureSlots(BenchRow.TENANT, model.modelId());
        }
    }

    /** {@code afterImages}: events carry the entries' fields ({@code gatewayEventsAfterImage}). */
    Outcome drain(String database, String topic, int partitions, long records, boolean afterImages) throws SQLException {
        prepareDatabase(stack.mysql(), database);
        String load = Machine.loadAverage();
        List<Gateway> gateways = new ArrayList<>();
        WriterTimes writerTimes = new WriterTimes();
        try {
            for (int i = 1; i <= partitions; i++) {
                Map<String, String> settings = new HashMap<>(extraSettings);
                settings.putAll(Map.of("dsn", stack.mysql().jdbcUrl(database),
                        "gatewayTopic", topic, "gatewayGroupId", database, "gatewayInstanceId", database + "-" + i,
                        "gatewayBatchMaxRecords", "2000", "gatewayEventsAfterImage", Boolean.toString(afterImages)));
                gateways.add(Gateway.start(stack.gatewayConfig(settings), writerTimes, HoldPoints.NONE));
            }
            DrainMeter.Window window = meter.await("SELECT COUNT(*) FROM `" + database + "`.entry_data", records,
                    () -> quarantined(database));
            System.err.println("  " + writerTimes.describe(window.seconds(), partitions));
            if (!"false".equals(extraSettings.get("gatewayRelayEnabled"))) {
                long t0 = System.nanoTime();
                while (meter.count("SELECT COUNT(*) FROM `" + database + "`.stardust_entry_events") > 0) {
                    LockSupport.parkNanos(50_000_000);
                }
                System.err.printf("  relay: outbox empty %.1f s after the last durable row%n", (System.nanoTime() - t0) / 1e9);
            }
            return new Outcome("StarDust ingest gateway" + (afterImages ? ", events with after-images" : ""), partitions + (partitions == 1 ? " partition, 1 gateway"
                    : " partitions, " + partitions + " gateways"), partitions, records, window, VersusBench.BENCH_JVM, load);
        } finally {
            gateways.forEach(Gateway::close);
        }
    }

    private Optional<String> quarantined(String database) {
        try {
            long dlq = meter.count("SELECT COUNT(*) FROM `" + database + "`.stardust_ingest_dlq");
            return dlq == 0 ? Optional.empty() : Optional.of(dlq + " records quarantined in " + database
                    + ".stardust_ingest_dlq: the benchmark's envelopes are wrong");
        } catch (SQLException e) {
            return Optional.of("cannot read the DLQ: " + e.getMessage());
        }
    }
}
