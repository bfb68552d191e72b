package io.stardust.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.config.ConfigOption;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.json.Json;
import io.stardust.gateway.Gateway;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import io.stardust.registry.events.SourcePosition;
import io.stardust.streams.StreamsApp;
import io.stardust.streams.StreamsAppConfig;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * File → durable entries through the streams app and the gateway, next to {@code LOAD DATA LOCAL INFILE} of the
 * same rows into {@code entry_data} on the same durable MySQL in the same run. An NDJSON file of N lines (default
 * 1,000,000; 10 tenants, the company model) is dropped into the streams app's drop directory (the app runs as a
 * child JVM, the gateway in this JVM); the clock runs from the drop until the gateway has made every line durable.
 * The registry topic is written from the registry tables (what the mirror's snapshot holds), so no binlog reader
 * runs. The baseline loads the same fields JSON as one {@code LOAD DATA} statement (entry rows only: no slot
 * rows, no outbox, no keys: the floor of what this MySQL can take in).
 */
public final class ImportBench {
    private static final int TENANTS = 10;

    private ImportBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Args.parse(args, Set.of("lines", "heap"));
        long n = Args.positive(options, "lines", 1_000_000);
        String heap = options.getOrDefault("heap", "1g");
        Path target = Path.of("bench", "target").toAbsolutePath();
        Path work = target.resolve("import-bench");
        Path drop = work.resolve("drop");
        Files.createDirectories(drop);
        Path file = work.resolve("bench.ndjson");
        Path tsv = work.resolve("bench.tsv");
        Path log = target.resolve("import-streams.log");
        Files.deleteIfExists(log);
        String loadAtStart = Machine.loadAverage();
        try (EmbeddedStack s = new EmbeddedStack(target.resolve("embedded-import"), "importbench", 6, false, true)) {
            String durability = MySqlDurability.describe(s.mysql());
            Map<Long, Integer> modelIds = new HashMap<>();
            for (int t = 1; t <= TENANTS; t++) {
                modelIds.put((long) t, s.model(t, "company", EmbeddedStack.companyFields()).modelId());
            }
            writeFiles(n, modelIds, file, tsv);
            s.kafka().createTopic("stardust.registry", 1, Map.of("cleanup.policy", "compact"));
            publishRegistry(s);

            AtomicLong durable = new AtomicLong();
            Process streams = startStreams(s, drop, work.resolve("state"), work.resolve("pids"), heap, log);
            long elapsedNanos;
            try (Gateway g = Gateway.start(s.gatewayConfig(Map.of("gatewayBatchMaxRecords", "2000")),
                    (batch, result, latency) -> durable.addAndGet(batch.records().size()), HoldPoints.NONE)) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10)); // the app's topology starts and gets its partitions
                long t0 = System.nanoTime();
                Files.copy(file, drop.resolve("bench.ndjson.partial"));
                Files.move(drop.resolve("bench.ndjson.partial"), drop.resolve("bench.ndjson"));
                while (durable.get() < n) {
                    if (!streams.isAlive()) {
                        throw new IllegalStateException("the streams app stopped; see " + log);
                    }
                    LockSupport.parkNanos(5_000_000);
                }
                elapsedNanos = System.nanoTime() - t0;
            } finally {
                streams.destroy();
                streams.waitFor(60, TimeUnit.SECONDS);
                streams.destroyForcibly();
            }
            double importRate = n / (elapsedNanos / 1e9);
            System.err.printf("import: %,d lines durable in %.1f s%n", n, elapsedNanos / 1e9);

            long loadNanos = loadData(s, tsv);
            double loadRate = n / (loadNanos / 1e9);
            System.err.printf("LOAD DATA: %,d rows in %.1f s%n", n, loadNanos / 1e9);

            System.out.println();
            System.out.println("| measurement | result |");
            System.out.println("|---|---|");
            System.out.printf("| machine | %s; load average %s at start, %s at end |%n", Machine.describe(), loadAtStart,
                    Machine.loadAverage());
            System.out.printf("| mysqld (durable: every commit fsynced) | %s |%n", durability);
            System.out.printf("| file | %,d NDJSON lines (%,d MiB), %d tenants, company model (4 slotted fields + 1 JSON-only), no keys |%n",
                    n, Files.size(file) >> 20, TENANTS);
            System.out.printf("| file → durable entries (streams app -Xmx%s child JVM + gateway, batches of 2,000) | **%,.0f entries/s** (%.1f s) |%n",
                    heap, importRate, elapsedNanos / 1e9);
            System.out.printf("| LOAD DATA LOCAL INFILE of the same rows into entry_data (one statement) | **%,.0f rows/s** (%.1f s) |%n",
                    loadRate, loadNanos / 1e9);
            System.out.printf("| import / LOAD DATA | %.0f %% |%n", 100 * importRate / loadRate);
            System.out.printf("| log | %s |%n", log);
        }
    }

    private static void writeFiles(long n, Map<Long, Integer> modelIds, Path ndjson, Path tsv) throws Exception {
        try (BufferedWriter a = Files.newBufferedWriter(ndjson, StandardCharsets.UTF_8);
             BufferedWriter b = Files.newBufferedWriter(tsv, StandardCharsets.UTF_8)) {
            for (long i = 0; i < n; i++) {
                long tenant = 1 + i % TENANTS;
                String fields = "{\"name\":\"Company " + i + "\",\"employees\":" + (i % 5000) + ",\"revenue\":" + (i * 1.5)
                        + ",\"founded\":\"2001-02-03T04:05:06Z\",\"note\":\"benchmark row " + i + "\"}";
                a.write("{\"tenantId\":" + tenant + ",\"model\":\"company\",\"fields\":" + fields + "}\n");
                b.write(tenant + "\t" + modelIds.get(tenant) + "\t" + fields + "\n");
            }
        }
    }

    private static long loadData(EmbeddedStack s, Path tsv) throws Exception {
        try (Connection c = s.engine().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET GLOBAL local_infile = 1");
        }
        String url = s.mysql().jdbcUrl(s.database());
        url += (url.contains("?") ? "&" : "?") + "allowLoadLocalInfile=true";
        try (Connection c = DriverManager.getConnection(url, s.mysql().user(), s.mysql().password());
             Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            st.execute("LOAD DATA LOCAL INFILE '" + tsv.toString().replace("'", "''") + "' INTO TABLE entry_data"
                    + " FIELDS TERMINATED BY '\\t' ESCAPED BY '' LINES TERMINATED BY '\\n' (tenant_id, model_id, fields)"
                    + " SET created_at = UTC_TIMESTAMP(), updated_at = UTC_TIMESTAMP()");
            return System.nanoTime() - t0;
        }
    }

    /** The registry rows the topology validates against, as the mirror's snapshot publishes them. */
    private static void publishRegistry(EmbeddedStack s) throws Exception {
        List<RegistryChange> changes = new ArrayList<>();
        int pos = 4;
        try (Connection c = s.engine().dataSource().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT id, tenant_id, name FROM stardust_models")) {
                while (rs.next()) {
                    ObjectNode row = Json.object();
                    row.put("id", rs.getLong(1));
                    row.put("tenant_id", rs.getLong(2));
                    row.put("name", rs.getString(3));
                    changes.add(change("stardust_models", row, pos++));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT id, model_id, name, declared_type, is_filterable FROM stardust_fields")) {
                while (rs.next()) {
                    ObjectNode row = Json.object();
                    row.put("id", rs.getLong(1));
                    row.put("model_id", rs.getLong(2));
                    row.put("name", rs.getString(3));
                    row.put("declared_type", rs.getString(4));
                    row.put("is_filterable", rs.getInt(5));
                    changes.add(change("stardust_fields", row, pos++));
                }
            }
        }
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                s.kafka().bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RegistryChange c : changes) {
                p.send(new ProducerRecord<>("stardust.registry", RegistryChangeCodec.encodeKey(c), RegistryChangeCodec.encodeValue(c))).get();
            }
        }
    }

    private static RegistryChange change(String table, ObjectNode row, int pos) {
        ObjectNode key = Json.object();
        key.put("id", row.get("id").asLong());
        return new RegistryChange(Op.CREATE, table, key, null, row, new SourcePosition("binlog.000001", pos, 0, null, 1, false),
                Instant.now());
    }

    private static Process startStreams(EmbeddedStack s, Path drop, Path state, Path pids, String heap, Path log) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(StreamsAppConfig.KAFKA_BOOTSTRAP.key(), s.kafka().bootstrapServers());
        settings.put(StreamsAppConfig.DROP_DIR.key(), drop.toString());
        settings.put(StreamsAppConfig.MIN_FILE_AGE.key(), "100ms");
        settings.put(StreamsAppConfig.POLL_INTERVAL.key(), "100ms");
        settings.put(StreamsAppConfig.STATE_DIR.key(), state.toString());
        settings.put("pidFileDir", pids.toString());
        Map<String, String> env = new HashMap<>();
        for (ConfigOption<?> o : StreamsAppConfig.definition().options()) {
            String v = settings.get(o.key());
            if (v != null) {
                env.put(o.envName(), v);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), StreamsApp.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        return pb.start();
    }
}
