package io.stardust.bench.versus;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.bench.Args;
import io.stardust.bench.Machine;
import io.stardust.bench.MySqlDurability;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.kit.EmbeddedMySql;
import io.stardust.kit.MySqlOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import io.stardust.ingest.source.SourcePartition;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench/run.sh profile}: where the time of a gateway batch goes. Writes {@code --records} benchmark rows in
 * batches of {@code --batch} through the gateway's {@link BatchWriter} on a durable mysqld (no broker: records
 * are handed to the writer directly), timing every JDBC statement and the COMMIT on the client, then does what
 * the relay does to each batch's events (read, delete). Prints milliseconds per batch per statement kind; the
 * first {@code --warmup} batches (10) are not counted. The rest of a batch's wall time is the writer's own CPU (parsing, planning, binding).
 * As in the gateway, batch N+1 is planned on another thread while batch N is written ({@code --pipeline=false}:
 * every batch planned inside its transaction, as before the pipelining).
 */
public final class BatchProfile {
    private BatchProfile() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv, java.util.Set.of("records", "batch", "warmup", "after-images", "work-dir", "pipeline"));
        boolean afterImages = Boolean.parseBoolean(args.getOrDefault("after-images", "false"));
        int records = (int) Args.positive(args, "records", 60_000); // 10 warm-up batches of 2,000 leave 20 counted
        int batchSize = (int) Args.positive(args, "batch", 2000);
        // The first batches run while the JIT compiles the write path; they are written but not counted.
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "10"));
        boolean pipeline = Boolean.parseBoolean(args.getOrDefault("pipeline", "true"));
        Path work = Path.of(args.getOrDefault("work-dir", "bench/target/profile-servers")).toAbsolutePath();
        Map<String, long[]> timings = new LinkedHashMap<>();
        try (EmbeddedMySql mysql = EmbeddedMySql.start(MySqlOptions.forTests(work).withDurable(true).withBufferPoolBytes(512L << 20))) {
            System.err.println("mysqld: " + MySqlDurability.describe(mysql));
            GatewayContender.prepareDatabase(mysql, "profile");
            try (HikariDataSource pool = Pools.open(mysql.jdbcUrl("profile"), mysql.user(), mysql.password(), 4, "profile")) {
                DataSource timed = timed(pool, timings);
                BatchWriter writer = new BatchWriter(timed, new RecordPlanner(new ModelResolver(), 1 << 20),
                        new IngestDlqStore(1 << 20), "profile", new UtcClock(Clock.systemUTC()), Duration.ofMillis(100),
                        Duration.ofSeconds(1), () -> false, BatchWriter.Listener.NONE, HoldPoints.NONE, afterImages);
                SourcePartition tp = new SourcePartition("profile", 0);
                Map<SourcePartition, Long> expected = new HashMap<>();
                long writeNanos = 0;
                long plannedAhead = 0;
                long relayNanos = 0;
                int batches = 0;
                String load = Machine.loadAverage();
                long questions = questions(pool);
                // As the gateway's consumer thread does: batch N+1 is planned on another thread while N is written.
                ExecutorService ahead = Executors.newSingleThreadExecutor();
                List<SourceRecord> batch = records(tp, 0, Math.min(records, batchSize));
                RecordPlanner.Prepared prepared = RecordPlanner.Prepared.NONE;
                for (int from = 0; from < records; from += batchSize) {
                    List<SourceRecord> next = records(tp, from + batchSize, Math.min(records, from + 2 * batchSize));
                    long t0 = System.nanoTime();
                    Future<RecordPlanner.Prepared> nextPrepared = pipeline ? ahead.submit(() -> writer.prepare(next)) : null;
                    BatchWriter.Result r = writer.write(new Batch(batch, expected, prepared));
                    plannedAhead += prepared.size();
                    prepared = pipeline ? nextPrepared.get() : RecordPlanner.Prepared.NONE;
                    writeNanos += System.nanoTime() - t0;
                    batch = next;
                    if (!(r instanceof BatchWriter.Committed c)) {
                        throw new IllegalStateException("batch not committed: " + r);
                    }
                    expected.putAll(c.next());
                    long t1 = System.nanoTime();
                    try (Connection conn = timed.getConnection()) {
                        List<OutboxEvent> events;
                        while (!(events = OutboxStore.pending(conn, 5000)).isEmpty()) {
                            OutboxStore.delete(conn, events.stream().map(OutboxEvent::id).distinct().toList());
                        }
                    }
                    relayNanos += System.nanoTime() - t1;
                    batches++;
                    if (from / batchSize + 1 == warmup) {
                        batches = 0;
                        plannedAhead = 0;
                        writeNanos = 0;
                        relayNanos = 0;
                        timings.clear();
                        load = Machine.loadAverage();
                        questions = questions(pool);
                    }
                }
                ahead.shutdown();
                print(batches * batchSize, batchSize, batches, writeNanos, relayNanos, timings, load);
                System.out.printf("records planned ahead (while the previous batch was written): %,d of %,d%n", plannedAhead,
                        batches * batchSize);
                System.out.printf("statements mysqld received: %.1f per batch%n", (questions(pool) - questions) / (double) batches);
            }
        }
    }

    private static List<SourceRecord> records(SourcePartition tp, int from, int to) {
        List<SourceRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new SourceRecord(tp.topic(), 0, i, "1".getBytes(StandardCharsets.UTF_8),
                    BenchRow.of(i).envelope().getBytes(StandardCharsets.UTF_8), System.currentTimeMillis()));
        }
        return out;
    }

    private static void print(int records, int batchSize, int batches, long writeNanos, long relayNanos,
                              Map<String, long[]> timings, String load) {
        System.out.printf("%n%,d records in %d batches of %d (after the warm-up); load average %s at start, %s at end%n", records, batches,
                batchSize, load, Machine.loadAverage());
        System.out.printf("writer: %.1f ms per batch (%,.0f records/s); relay read + delete: %.1f ms per batch%n%n",
                writeNanos / 1e6 / batches, records / (writeNanos / 1e9), relayNanos / 1e6 / batches);
        System.out.println("| statement | calls per batch | ms per batch |");
        System.out.println("|---|---:|---:|");
        long statements = 0;
        for (Map.Entry<String, long[]> e : timings.entrySet()) {
            statements += e.getValue()[1];
            System.out.printf("| `%s` | %.1f | %.1f |%n", e.getKey(), e.getValue()[0] / (double) batches,
                    e.getValue()[1] / 1e6 / batches);
        }
        System.out.printf("| (writer CPU + relay outside statements) | | %.1f |%n",
                (writeNanos + relayNanos - statements) / 1e6 / batches);
    }

    /** mysqld's count of statements received from clients (a JDBC batch the driver rewrote counts once per statement sent). */
    private static long questions(DataSource ds) throws java.sql.SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Questions'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** A data source whose statements and commits add their client-side wall time to {@code timings}. */
    private static DataSource timed(HikariDataSource pool, Map<String, long[]> timings) {
        return (DataSource) Proxy.newProxyInstance(BatchProfile.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (p, m, a) -> m.getName().equals("getConnection") && (a == null || a.length == 0)
                        ? connection(pool.getConnection(), timings) : invoke(pool, m, a));
    }

    private static Connection connection(Connection c, Map<String, long[]> timings) {
        InvocationHandler h = (p, m, a) -> {
            if (m.getName().equals("prepareStatement")) {
                PreparedStatement ps = (PreparedStatement) invoke(c, m, a);
                return statement(ps, label((String) a[0]), timings);
            }
            if (m.getName().equals("commit")) {
                return timed("COMMIT", timings, () -> invoke(c, m, a));
            }
            return invoke(c, m, a);
        };
        return (Connection) Proxy.newProxyInstance(BatchProfile.class.getClassLoader(), new Class<?>[]{Connection.class}, h);
    }

    private static PreparedStatement statement(PreparedStatement ps, String label, Map<String, long[]> timings) {
        InvocationHandler h = (p, m, a) -> m.getName().startsWith("execute")
                ? timed(label, timings, () -> invoke(ps, m, a)) : invoke(ps, m, a);
        return (PreparedStatement) Proxy.newProxyInstance(BatchProfile.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, h);
    }

    private interface Call {
        Object call() throws Throwable;
    }

    private static Object timed(String label, Map<String, long[]> timings, Call call) throws Throwable {
        long t0 = System.nanoTime();
        try {
            return call.call();
        } finally {
            long[] t = timings.computeIfAbsent(label, k -> new long[2]);
            t[0]++;
            t[1] += System.nanoTime() - t0;
        }
    }

    private static Object invoke(Object target, Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The statement up to its first placeholder list, and its tail: one label per statement kind. */
    private static String label(String sql) {
        int first = sql.indexOf('?');
        int last = sql.lastIndexOf('?');
        String s = first < 0 ? sql : sql.substring(0, first) + "…" + sql.substring(last + 1);
        return s.length() > 140 ? s.substring(0, 140) + "…" : s;
    }
}
