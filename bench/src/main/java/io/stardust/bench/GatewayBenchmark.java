package io.stardust.bench;

import io.stardust.StarDust;
import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Sql;
import io.stardust.gateway.Gateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Ingest benchmark on embedded MySQL 8.0.31 (durable settings: every commit fsynced) and Kafka 4.3.1 (one
 * machine, everything local):
 * <ol>
 *   <li>backlog: N records already in the topic, then the gateway starts; topic → durable entries/s (entry row,
 *       4 slot columns, key row, outbox event and offsets, per batch transaction), and how long the relay takes to
 *       publish every event;</li>
 *   <li>the same N rows written by {@link RawInsertBaseline}, the floor of what MySQL can do here;</li>
 *   <li>latency: {@link GatewayLatencyProbe} at a steady rate.</li>
 * </ol>
 */
public final class GatewayBenchmark {
    private static final int TENANTS = 10;
    private static final LocalDateTime FOUNDED = LocalDateTime.of(2001, 2, 3, 4, 5, 6);

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String loadAtStart = Machine.loadAverage();
        try (EmbeddedStack s = new EmbeddedStack(Path.of("target", "embedded"), "bench", 6, false, true)) {
            String durability = MySqlDurability.describe(s.mysql());
            System.err.println("mysqld: " + durability);
            for (int t = 1; t <= TENANTS; t++) {
                s.model(t, "company", EmbeddedStack.companyFields());
            }
            KafkaProducer<String, String> producer = BenchProducer.open(s.kafka().bootstrapServers());

            long p0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                producer.send(record("stardust.entries", i));
            }
            producer.flush();
            double produceSecs = (System.nanoTime() - p0) / 1e9;
            System.err.printf("produced %d records in %.1f s%n", n, produceSecs);

            AtomicLong durable = new AtomicLong();
            long g0 = System.nanoTime();
            long ingestNanos;
            long relayNanos;
            try (Gateway g = Gateway.start(s.gatewayConfig(Map.of("gatewayBatchMaxRecords", "2000")),
                    (batch, result, latency) -> durable.addAndGet(batch.records().size()), HoldPoints.NONE)) {
                while (durable.get() < n) {
                    LockSupport.parkNanos(5_000_000);
                }
                ingestNanos = System.nanoTime() - g0;
                while (outboxBacklog(s.engine()) > 0) {
                    LockSupport.parkNanos(20_000_000);
                }
                relayNanos = System.nanoTime() - g0;
            }
            double gatewayRate = n / (ingestNanos / 1e9);
            System.err.printf("gateway: %d durable in %.1f s%n", n, ingestNanos / 1e9);

            RawInsertBaseline raw = RawInsertBaseline.prepare(s.mysql(), "bench_raw",
                    List.of("i_str_01", "i_int_01", "i_num_01", "i_dt_01"));
            long rawNanos = raw.insert(n, GatewayBenchmark::rawRow);
            double rawRate = n / (rawNanos / 1e9);
            System.err.printf("raw INSERT: %d rows in %.1f s%n", n, rawNanos / 1e9);

            // A steady rate well below the backlog throughput: small batches cost more per record than 2000-record ones.
            int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int m = Math.min(n, rate * 20);
            s.kafka().createTopic("stardust.latency", 6);
            GatewayLatencyProbe.Result latency = GatewayLatencyProbe.run(s.gatewayConfig(Map.of("gatewayTopic", "stardust.latency",
                    "gatewayGroupId", "latency", "gatewayInstanceId", "latency-1", "gatewayBatchMaxRecords", "2000")),
                    producer, rate, m, i -> record("stardust.latency", n + i));
            producer.close();
            System.err.printf("latency phase: %d batches, %.0f records/batch, %.1f ms/batch in the writer%n", latency.batches(),
                    latency.recordsPerBatch(), latency.writerMsPerBatch());
            Latencies l = latency.latencies();
            System.out.println();
            System.out.println("| measurement | result |");
            System.out.println("|---|---|");
            System.out.printf("| machine | %s; load average %s at start, %s at end |%n", Machine.describe(), loadAtStart,
                    Machine.loadAverage());
            System.out.printf("| mysqld (durable: every commit fsynced) | %s |%n", durability);
            System.out.printf("| records | %,d (%d tenants, 6 partitions, keyed upserts creating entries with 4 slotted fields + 1 JSON-only) |%n", n, TENANTS);
            System.out.printf("| produce (idempotent, acks=all) | %,.0f records/s |%n", n / produceSecs);
            System.out.printf("| gateway: topic → durable (backlog) | **%,.0f entries/s** (%.1f s) |%n", gatewayRate, ingestNanos / 1e9);
            System.out.printf("| relay: every event published | %.1f s after start (%,.0f events/s overall) |%n", relayNanos / 1e9, n / (relayNanos / 1e9));
            System.out.printf("| raw multi-row INSERT of the same rows (entry_data + slot page, 2000/tx) | **%,.0f rows/s** |%n", rawRate);
            System.out.printf("| gateway / raw | %.0f %% |%n", 100 * gatewayRate / rawRate);
            System.out.printf("| produce → durable latency at %,d records/s (%,d records) | p50 %.0f ms, p99 %.0f ms, max %.0f ms |%n", rate, m,
                    l.p50Millis(), l.p99Millis(), l.maxMillis());
        }
    }

    private static String fieldsJson(int i) {
        return "{\"name\":\"Company " + i + "\",\"employees\":" + (i % 5000) + ",\"revenue\":" + (i * 1.5)
                + ",\"founded\":\"2001-02-03T04:05:06Z\",\"note\":\"benchmark row " + i + "\"}";
    }

    private static long tenant(int i) {
        return 1 + i % TENANTS;
    }

    private static ProducerRecord<String, String> record(String topic, int i) {
        return new ProducerRecord<>(topic, Long.toString(tenant(i)),
                "{\"tenantId\":" + tenant(i) + ",\"model\":\"company\",\"key\":\"c-" + i + "\",\"fields\":" + fieldsJson(i) + "}");
    }

    private static RawInsertBaseline.Row rawRow(int i) {
        return new RawInsertBaseline.Row(tenant(i), fieldsJson(i), List.of("Company " + i, (long) (i % 5000), i * 1.5, FOUNDED));
    }

    private static long outboxBacklog(StarDust engine) throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            return Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_entry_events", 0);
        }
    }
}
