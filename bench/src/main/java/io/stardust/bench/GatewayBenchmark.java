package io.stardust.bench;

import io.stardust.cli.demo.EmbeddedStack;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.Sql;
import io.stardust.gateway.Gateway;
import io.stardust.gateway.HoldPoints;
import io.stardust.gateway.ingest.SourceRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ingest benchmark on embedded MySQL 8.0.31 and Kafka 4.3.1 (one machine, everything local):
 * <ol>
 *   <li>backlog: N records already in the topic, then the gateway starts; topic → durable entries/s (entry row,
 *       4 slot columns, key row, outbox event and offsets, per batch transaction), and how long the relay takes to
 *       publish every event;</li>
 *   <li>the same N rows written by a raw multi-row INSERT (entry_data + slot page, 2000 rows per transaction),
 *       the floor of what MySQL can do here;</li>
 *   <li>latency: records produced at a steady rate while the gateway runs; produce → durable (the batch's COMMIT
 *       returned) p50/p99 from every record's producer timestamp.</li>
 * </ol>
 */
public final class GatewayBenchmark {
    private static final int TENANTS = 10;

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        try (EmbeddedStack s = new EmbeddedStack(java.nio.file.Path.of("target", "embedded"), "bench", 6)) {
            for (int t = 1; t <= TENANTS; t++) {
                s.model(t, "company", EmbeddedStack.companyFields());
            }
            KafkaProducer<String, String> producer = producer(s.kafka().bootstrapServers());

            long p0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                send(producer, "stardust.entries", i);
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

            double rawRate = rawInsert(s, n);

            // A steady rate well below the backlog throughput: small batches cost more per record than 2000-record ones.
            int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int m = Math.min(n, rate * 20);
            long[] latencies = new long[m];
            AtomicLong seen = new AtomicLong();
            AtomicLong batches = new AtomicLong();
            AtomicLong writeNanos = new AtomicLong();
            s.kafka().createTopic("stardust.latency", 6);
            try (Gateway g = Gateway.start(s.gatewayConfig(Map.of("gatewayTopic", "stardust.latency", "gatewayGroupId", "latency",
                    "gatewayInstanceId", "latency-1", "gatewayBatchMaxRecords", "2000")), (batch, result, latency) -> {
                        batches.incrementAndGet();
                        writeNanos.addAndGet(latency.toNanos());
                        for (SourceRecord r : batch.records()) {
                            int idx = (int) seen.getAndIncrement();
                            if (idx < m) {
                                latencies[idx] = result.committedAtMillis() - r.timestampMs();
                            }
                        }
                    }, HoldPoints.NONE)) {
                LockSupport.parkNanos(3_000_000_000L); // let it join the group before the clock starts
                long interval = 1_000_000_000L / rate;
                long next = System.nanoTime();
                for (int i = 0; i < m; i++) {
                    send(producer, "stardust.latency", n + i);
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                producer.flush();
                while (seen.get() < m) {
                    LockSupport.parkNanos(5_000_000);
                }
            }
            producer.close();
            System.err.printf("latency phase: %d batches, %.0f records/batch, %.1f ms/batch in the writer%n", batches.get(),
                    (double) m / batches.get(), writeNanos.get() / 1e6 / batches.get());
            Arrays.sort(latencies);
            System.out.println();
            System.out.println("| measurement | result |");
            System.out.println("|---|---|");
            System.out.printf("| records | %,d (%d tenants, 6 partitions, keyed upserts creating entries with 4 slotted fields + 1 JSON-only) |%n", n, TENANTS);
            System.out.printf("| produce (idempotent, acks=all) | %,.0f records/s |%n", n / produceSecs);
            System.out.printf("| gateway: topic → durable (backlog) | **%,.0f entries/s** (%.1f s) |%n", gatewayRate, ingestNanos / 1e9);
            System.out.printf("| relay: every event published | %.1f s after start (%,.0f events/s overall) |%n", relayNanos / 1e9, n / (relayNanos / 1e9));
            System.out.printf("| raw multi-row INSERT of the same rows (entry_data + slot page, 2000/tx) | **%,.0f rows/s** |%n", rawRate);
            System.out.printf("| gateway / raw | %.0f %% |%n", 100 * gatewayRate / rawRate);
            System.out.printf("| produce → durable latency at %,d records/s (%,d records) | p50 %d ms, p99 %d ms, max %d ms |%n", rate, m,
                    latencies[m / 2], latencies[(int) (m * 0.99)], latencies[m - 1]);
        }
    }

    private static String value(int i) {
        int tenant = 1 + i % TENANTS;
        return "{\"tenantId\":" + tenant + ",\"model\":\"company\",\"key\":\"c-" + i + "\",\"fields\":{\"name\":\"Company " + i
                + "\",\"employees\":" + (i % 5000) + ",\"revenue\":" + (i * 1.5) + ",\"founded\":\"2001-02-03T04:05:06Z\","
                + "\"note\":\"benchmark row " + i + "\"}}";
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int i) {
        producer.send(new ProducerRecord<>(topic, Integer.toString(1 + i % TENANTS), value(i)));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 << 10));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static long outboxBacklog(StarDust engine) throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            return Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_entry_events", 0);
        }
    }

    /** The same rows, straight into entry_data and the slot page, 2000 rows per multi-row INSERT and transaction. */
    private static double rawInsert(EmbeddedStack s, int n) throws Exception {
        s.mysql().recreateDatabase("bench_raw");
        String url = s.mysql().jdbcUrl("bench_raw");
        try (StarDust raw = StarDust.connect(StarDustConfig.of(url, s.mysql().user(), s.mysql().password()));
             HikariDataSource ds = Pools.open(url, s.mysql().user(), s.mysql().password(), 2, "raw")) {
            raw.bootstrap();
            raw.provisionPage(java.util.List.of("i_str_01", "i_int_01", "i_num_01", "i_dt_01"));
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
            LocalDateTime founded = LocalDateTime.of(2001, 2, 3, 4, 5, 6);
            int chunk = 2000;
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                for (int start = 0; start < n; start += chunk) {
                    int size = Math.min(chunk, n - start);
                    StringBuilder e = new StringBuilder("INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields) VALUES ");
                    for (int k = 0; k < size; k++) {
                        e.append(k == 0 ? "(?, 1, ?, ?, ?)" : ", (?, 1, ?, ?, ?)");
                    }
                    long firstId;
                    try (PreparedStatement ps = c.prepareStatement(e.toString(), Statement.RETURN_GENERATED_KEYS)) {
                        int p = 1;
                        for (int k = 0; k < size; k++) {
                            int i = start + k;
                            ps.setLong(p++, 1 + i % TENANTS);
                            ps.setObject(p++, now);
                            ps.setObject(p++, now);
                            String v = value(i);
                            ps.setString(p++, v.substring(v.indexOf("\"fields\":") + 9, v.length() - 1));
                        }
                        ps.executeUpdate();
                        try (ResultSet keys = ps.getGeneratedKeys()) {
                            keys.next();
                            firstId = keys.getLong(1);
                        }
                    }
                    StringBuilder sl = new StringBuilder("INSERT INTO entry_slots_page_1 (entry_id, tenant_id, i_str_01, i_int_01, i_num_01, i_dt_01) VALUES ");
                    for (int k = 0; k < size; k++) {
                        sl.append(k == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
                    }
                    try (PreparedStatement ps = c.prepareStatement(sl.toString())) {
                        int p = 1;
                        for (int k = 0; k < size; k++) {
                            int i = start + k;
                            ps.setLong(p++, firstId + k);
                            ps.setLong(p++, 1 + i % TENANTS);
                            ps.setString(p++, "Company " + i);
                            ps.setLong(p++, i % 5000);
                            ps.setDouble(p++, i * 1.5);
                            ps.setObject(p++, founded);
                        }
                        ps.executeUpdate();
                    }
                    c.commit();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.err.printf("raw INSERT: %d rows in %.1f s%n", n, secs);
            return n / secs;
        }
    }
}
