package io.stardust.bench;

import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.config.ConfigOption;
import io.stardust.engine.db.Sql;
import io.stardust.gateway.GatewayConfig;
import io.stardust.gateway.GatewayApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Bounded memory whatever the backlog: N small records (default 1,000,000) are in the topic before the gateway
 * starts, and the gateway runs as a child JVM with {@code -Xmx256m} (and {@code -XX:+ExitOnOutOfMemoryError}, so
 * running out of heap ends the run instead of slowing it) until every record's position is stored. Prints the
 * time, the largest heap left after a garbage collection (the live set, from the child's GC log) and the child's
 * peak resident memory. MySQL runs with the server kit's settings (not durable): durability changes the time,
 * not what the gateway holds in memory.
 */
public final class BacklogBench {
    private static final int TENANTS = 10;
    private static final Pattern GC_AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private BacklogBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Args.parse(args, Set.of("records", "keys", "heap"));
        long n = Args.positive(options, "records", 1_000_000);
        long keys = Args.positive(options, "keys", 100_000);
        String heap = options.getOrDefault("heap", "256m");
        Path target = Path.of("bench", "target");
        Files.createDirectories(target);
        Path gcLog = target.resolve("backlog-gc.log");
        Path log = target.resolve("backlog-gateway.log");
        Files.deleteIfExists(gcLog);
        Files.deleteIfExists(log);
        String loadAtStart = Machine.loadAverage();
        try (EmbeddedStack s = new EmbeddedStack(target.resolve("embedded-backlog"), "backlog", 6, false, false)) {
            for (int t = 1; t <= TENANTS; t++) {
                s.model(t, "company", EmbeddedStack.companyFields());
            }
            long p0 = System.nanoTime();
            try (KafkaProducer<String, String> producer = BenchProducer.open(s.kafka().bootstrapServers())) {
                for (long i = 0; i < n; i++) {
                    long tenant = 1 + i % TENANTS;
                    producer.send(new ProducerRecord<>("stardust.entries", Long.toString(tenant), "{\"tenantId\":" + tenant
                            + ",\"model\":\"company\",\"key\":\"k" + (i % keys) + "\",\"fields\":{\"name\":\"c" + i + "\"}}"));
                }
                producer.flush();
            }
            double produceSecs = (System.nanoTime() - p0) / 1e9;
            System.err.printf("produced %,d records in %.1f s%n", n, produceSecs);

            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("dsn", s.mysql().jdbcUrl(s.database()));
            settings.put("user", s.mysql().user());
            settings.put("pass", s.mysql().password());
            settings.put("kafkaBootstrap", s.kafka().bootstrapServers());
            settings.put("gatewayGroupId", "backlog");
            settings.put("gatewayInstanceId", "backlog-1");
            settings.put("gatewayMetricsPort", "-1");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog,
                    "-cp", System.getProperty("java.class.path"), GatewayApp.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
            pb.environment().putAll(environment(settings));
            long g0 = System.nanoTime();
            Process gateway = pb.start();
            long stored = 0;
            long peakRssKib = 0;
            try {
                while (stored < n && gateway.isAlive()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                    stored = storedPositions(s);
                    peakRssKib = Math.max(peakRssKib, peakRssKib(gateway.pid()));
                }
            } finally {
                gateway.destroy();
                gateway.waitFor(60, TimeUnit.SECONDS);
                gateway.destroyForcibly();
            }
            double ingestSecs = (System.nanoTime() - g0) / 1e9;
            long[] gc = gcHeap(gcLog);
            System.out.println();
            System.out.println("| measurement | result |");
            System.out.println("|---|---|");
            System.out.printf("| machine | %s; load average %s at start, %s at end |%n", Machine.describe(), loadAtStart,
                    Machine.loadAverage());
            System.out.printf("| backlog | %,d records (%,d keys, %d tenants, 6 partitions) in the topic before the gateway starts; produced at %,.0f records/s |%n",
                    n, keys, TENANTS, n / produceSecs);
            System.out.printf("| gateway JVM | -Xmx%s, -XX:+ExitOnOutOfMemoryError, default batch settings |%n", heap);
            System.out.printf("| ingested | **%,d of %,d** in %.1f s (%,.0f records/s); gateway exit code %d (0 = drained on SIGTERM) |%n",
                    stored, n, ingestSecs, stored / ingestSecs, gateway.exitValue());
            System.out.printf("| heap after GC (live set), max over %d collections | %d MiB (heap before GC peaked at %d MiB, committed %d MiB) |%n",
                    gc[3], gc[1], gc[0], gc[2]);
            System.out.printf("| gateway peak resident memory (VmHWM) | %,d MiB |%n", peakRssKib / 1024);
            System.out.printf("| logs | %s, %s |%n", log, gcLog);
            if (stored < n) {
                System.err.println("the gateway stopped before the backlog was ingested; see " + log);
                System.exit(1);
            }
        }
    }

    private static Map<String, String> environment(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        for (ConfigOption<?> o : GatewayConfig.definition().options()) {
            String v = settings.get(o.key());
            if (v != null) {
                env.put(o.envName(), v);
            }
        }
        return env;
    }

    private static long storedPositions(EmbeddedStack s) throws Exception {
        try (Connection c = s.engine().dataSource().getConnection()) {
            return Sql.queryLong(c, "SELECT COALESCE(SUM(next_offset), 0) FROM stardust_ingest_offsets WHERE consumer_group = 'backlog'", 0);
        }
    }

    private static long peakRssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between two reads: keep the last value
        }
        return 0;
    }

    /** {max heap before GC, max heap after GC, max committed, collections} in MiB, from a {@code -Xlog:gc} file. */
    private static long[] gcHeap(Path gcLog) throws IOException {
        long[] out = new long[4];
        if (!Files.exists(gcLog)) {
            return out;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_AFTER.matcher(line);
            if (m.find()) {
                out[0] = Math.max(out[0], Long.parseLong(m.group(1)));
                out[1] = Math.max(out[1], Long.parseLong(m.group(2)));
                out[2] = Math.max(out[2], Long.parseLong(m.group(3)));
                out[3]++;
            }
        }
        return out;
    }
}
