package io.stardust.bench.search;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.BulkIngestOptions;
import io.stardust.DeclaredType;
import io.stardust.EntryPage;
import io.stardust.EntryPayload;
import io.stardust.EntryQuery;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.bench.Latencies;
import io.stardust.engine.db.Pools;
import io.stardust.engine.read.EntryReader;
import io.stardust.engine.read.SchemaSnapshot;
import io.stardust.engine.read.SnapshotCache;
import io.stardust.engine.search.MySqlSearchDriver;
import io.stardust.filter.FilterNode;
import io.stardust.filter.Filters;
import io.stardust.kit.EmbeddedMySql;
import io.stardust.kit.MySqlOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Search latency on a million entries, three ways in one run against one embedded mysqld:
 * <ol>
 *   <li><b>engine</b>: {@code StarDust.read} with a filter (pre-flight, the probe on the slot index, the fetch of
 *       the page's rows and their assembly), and its probe alone (the id query the MySQL driver runs);</li>
 *   <li><b>JSON scan</b>: the same page (first 100 ids in id order) selected with {@code JSON_EXTRACT} on
 *       {@code entry_data.fields}, which is what filtering without slots costs;</li>
 *   <li><b>plain table</b>: the same page from an ordinary table holding the same values in native columns with
 *       {@code (tenant_id, column)} indexes, the lower bound StarDust aims at.</li>
 * </ol>
 * Filters: {@code eq} on a string field with 1,000 distinct values (0.1 % of rows each), and {@code between}
 * ranges on an int field covering 0.1 % and 1 % of rows. Every iteration draws a fresh value, so the measurements are not one
 * cached plan on one hot range. The entries are loaded through the engine's synchronous bulk path.
 */
public final class SearchBench {
    private static final int PAGE = 100;
    private static final int STATUS_VALUES = 1000;
    private static final int AMOUNT_RANGE = 1_000_000;

    private final BenchOptions options;
    private final HikariDataSource ds;
    private final EmbeddedMySql mysql;
    private StarDust engine;
    private ModelDefinition model;

    private SearchBench(BenchOptions options, HikariDataSource ds, EmbeddedMySql mysql) {
        this.options = options;
        this.ds = ds;
        this.mysql = mysql;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        MySqlOptions server = MySqlOptions.forTests(options.workDir()).withBufferPoolBytes(options.bufferPoolBytes());
        long t0 = System.nanoTime();
        try (EmbeddedMySql mysql = EmbeddedMySql.start(server)) {
            mysql.recreateDatabase("bench");
            System.err.printf("mysqld up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            try (HikariDataSource ds = Pools.open(mysql.jdbcUrl("bench"), mysql.user(), mysql.password(),
                    options.loaders() + 2, "bench")) {
                new SearchBench(options, ds, mysql).run();
            }
        }
    }

    private void run() throws Exception {
        engine = StarDust.create(ds, StarDustConfig.of(mysql.jdbcUrl("bench"), mysql.user(), mysql.password()),
                Clock.systemUTC());
        engine.bootstrap();
        model = engine.defineModel(1, "order", List.of(new FieldSpec("status", DeclaredType.STRING, true),
                new FieldSpec("amount", DeclaredType.INT, true), new FieldSpec("note", DeclaredType.STRING, false)));
        engine.ensureSlots(1, model.modelId());

        double loadSeconds = load();
        double plainSeconds = buildPlainTable();
        exec("ANALYZE TABLE entry_data, entry_slots_page_1, plain_orders");

        SnapshotCache snapshots = new SnapshotCache(ds, Clock.systemUTC());
        SchemaSnapshot snapshot = snapshots.get(1, model.modelId(), "bench");
        crossCheck(snapshot);

        List<Result> results = new ArrayList<>();
        List<String> plans = new ArrayList<>();
        IntFunction<FilterNode> eq = k -> Filters.leaf("status", "eq", "s" + k);
        String plainEq = "SELECT id FROM plain_orders WHERE tenant_id = ? AND status = ? AND id > 0 ORDER BY id LIMIT ?";
        String jsonEq = "SELECT id FROM entry_data WHERE tenant_id = ? AND model_id = ? AND deleted_at IS NULL AND id > 0"
                + " AND JSON_UNQUOTE(JSON_EXTRACT(fields, '$.status')) = ? ORDER BY id LIMIT ?";
        String plainRange = "SELECT id FROM plain_orders WHERE tenant_id = ? AND amount BETWEEN ? AND ? AND id > 0"
                + " ORDER BY id LIMIT ?";
        String jsonRange = "SELECT id FROM entry_data WHERE tenant_id = ? AND model_id = ? AND deleted_at IS NULL AND id > 0"
                + " AND JSON_EXTRACT(fields, '$.amount') BETWEEN ? AND ? ORDER BY id LIMIT ?";
        try (Connection c = ds.getConnection()) {
            measureAll(results, methods(c, "eq (string, 0.1 %)", eq, STATUS_VALUES, 0, snapshot, plainEq, jsonEq));
            for (int width : new int[] {AMOUNT_RANGE / 1000, AMOUNT_RANGE / 100}) {
                IntFunction<FilterNode> range = lo -> Filters.leaf("amount", "between", List.of(lo, lo + width - 1));
                String label = "range (int, " + (width * 100.0 / AMOUNT_RANGE) + " %)";
                measureAll(results, methods(c, label, range, AMOUNT_RANGE - width, width, snapshot, plainRange, jsonRange));
                plans.add(plan(c, "engine probe, " + label, probeText(range.apply(500_000), snapshot)));
                plans.add(plan(c, "plain table, " + label, inline(plainRange, List.of(1L, 500_000L, 500_000L + width - 1, PAGE + 1))));
                plans.add(plan(c, "JSON scan, " + label, inline(jsonRange,
                        List.of(1L, model.modelId(), 500_000L, 500_000L + width - 1, PAGE + 1))));
            }
            plans.add(0, plan(c, "engine probe, eq", probeText(eq.apply(17), snapshot)));
            plans.add(1, plan(c, "plain table, eq", inline(plainEq, List.of(1L, "s17", PAGE + 1))));
            plans.add(2, plan(c, "JSON scan, eq", inline(jsonEq, List.of(1L, model.modelId(), "s17", PAGE + 1))));
        }
        report(loadSeconds, plainSeconds, results, plans);
    }

    // ---- data -----------------------------------------------------------------------------------------------

    /** One entry's values, a pure function of (seed, index), so every loader thread and every run agree. */
    private record Row(String status, long amount, String note) {
        static Row of(long seed, long index) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
            StringBuilder note = new StringBuilder(40);
            for (int i = 0; i < 40; i++) {
                note.append((char) ('a' + r.nextInt(26)));
            }
            return new Row("s" + r.nextInt(STATUS_VALUES), r.nextInt(AMOUNT_RANGE), note.toString());
        }
    }

    private double load() throws Exception {
        int batch = 1000;
        long total = options.entries();
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(options.loaders());
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < options.loaders(); t++) {
            futures.add(pool.submit(() -> {
                while (true) {
                    long start = next.getAndAdd(batch);
                    if (start >= total) {
                        return null;
                    }
                    List<EntryPayload> payloads = new ArrayList<>(batch);
                    for (long i = start; i < Math.min(total, start + batch); i++) {
                        Row row = Row.of(options.seed(), i);
                        payloads.add(EntryPayload.of(1, model.modelId(),
                                Map.of("status", row.status(), "amount", row.amount(), "note", row.note())));
                    }
                    int committed = engine.bulkWrite(payloads, new BulkIngestOptions(batch, 0)).entriesCommitted();
                    if (committed != payloads.size()) {
                        throw new IllegalStateException("bulk chunk rolled back at entry " + start);
                    }
                    long d = done.addAndGet(committed);
                    if (d % 100_000 < batch) {
                        System.err.printf("loaded %,d entries (%.0f/s)%n", d, d / ((System.nanoTime() - t0) / 1e9));
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The same values in native indexed columns, copied from the engine's own slot page. */
    private double buildPlainTable() throws SQLException {
        long t0 = System.nanoTime();
        exec("CREATE TABLE plain_orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id BIGINT NOT NULL,"
                + " status VARCHAR(64) NULL, amount BIGINT NULL,"
                + " KEY ix_plain_status (tenant_id, status), KEY ix_plain_amount (tenant_id, amount))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci",
                "INSERT INTO plain_orders (id, tenant_id, status, amount) SELECT e.id, e.tenant_id, p.i_str_01, p.i_int_01"
                        + " FROM entry_data e JOIN entry_slots_page_1 p ON p.entry_id = e.id");
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---- measurement ----------------------------------------------------------------------------------------

    record Result(String query, String method, Latencies latencies, double meanRows) {
    }

    /** One way of answering the filter: run it once with a fresh random value, return the rows of the page. */
    private record Method(String query, String name, boolean slow, Probe probe) {
    }

    /** @param width 0 for an eq filter (value {@code "s" + k}), else the width of a range starting at k */
    private List<Method> methods(Connection c, String name, IntFunction<FilterNode> filterOf, int domain, int width,
                                 SchemaSnapshot snapshot, String plainSql, String jsonSql) {
        boolean range = width > 0;
        SplittableRandom rnd = new SplittableRandom(options.seed() + name.hashCode());
        return List.of(
                new Method(name, "engine read() (probe + fetch + assemble 100 rows)", false, () -> {
                    FilterNode f = filterOf.apply(rnd.nextInt(domain));
                    return engine.read(EntryQuery.all(1, model.modelId()).withFilter(f).withPageSize(PAGE)).rows().size();
                }),
                new Method(name, "engine probe only (the driver's id query)", false, () -> {
                    FilterNode f = filterOf.apply(rnd.nextInt(domain));
                    EntryReader.FilterSql sql = MySqlSearchDriver.toFilterSql(MySqlSearchDriver.compile(f, snapshot));
                    EntryQuery q = EntryQuery.all(1, model.modelId()).withFilter(f).withPageSize(PAGE);
                    return count(c, EntryReader.probeSql(sql), EntryReader.probeBindings(q, 0, sql));
                }),
                new Method(name, "plain table, native indexed column", false, () -> {
                    int k = rnd.nextInt(domain);
                    return count(c, plainSql, range ? List.of(1L, (long) k, (long) k + width - 1, PAGE + 1)
                            : List.of(1L, "s" + k, PAGE + 1));
                }),
                new Method(name, "JSON_EXTRACT scan on entry_data", true, () -> {
                    int k = rnd.nextInt(domain);
                    return count(c, jsonSql, range
                            ? List.of(1L, model.modelId(), (long) k, (long) k + width - 1, PAGE + 1)
                            : List.of(1L, model.modelId(), "s" + k, PAGE + 1));
                }));
    }

    /** Warms every method up first (JIT, buffer pool), then measures each in turn. */
    private void measureAll(List<Result> out, List<Method> methods) throws SQLException {
        for (Method m : methods) {
            int warm = m.slow() ? Math.max(3, options.jsonIterations() / 10) : Math.max(50, options.iterations() / 5);
            for (int i = 0; i < warm; i++) {
                m.probe().run();
            }
        }
        for (Method m : methods) {
            out.add(measure(m.query(), m.name(), m.slow() ? options.jsonIterations() : options.iterations(), m.probe()));
        }
    }

    @FunctionalInterface
    private interface Probe {
        int run() throws SQLException;
    }

    private static Result measure(String query, String method, int iterations, Probe probe) throws SQLException {
        long[] nanos = new long[iterations];
        long rows = 0;
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            rows += probe.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Latencies l = Latencies.of(nanos);
        System.err.printf("%-20s %-52s p50 %8.2f ms  p99 %8.2f ms%n", query, method, l.p50Millis(), l.p99Millis());
        return new Result(query, method, l, (double) rows / iterations);
    }

    private static int count(Connection c, String sql, List<?> bindings) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < bindings.size(); i++) {
                ps.setObject(i + 1, bindings.get(i));
            }
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private static List<Long> ids(Connection c, String sql, List<?> bindings) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < bindings.size(); i++) {
                ps.setObject(i + 1, bindings.get(i));
            }
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    /** The three methods must return the same page, or the timings compare different work. */
    private void crossCheck(SchemaSnapshot snapshot) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int k : new int[] {0, 17, 999}) {
                FilterNode f = Filters.leaf("status", "eq", "s" + k);
                List<Long> engineIds = engine.read(EntryQuery.all(1, model.modelId()).withFilter(f).withPageSize(PAGE))
                        .rows().stream().map(e -> e.id()).toList();
                List<Long> plain = ids(c, "SELECT id FROM plain_orders WHERE tenant_id = 1 AND status = ? ORDER BY id LIMIT ?",
                        List.of("s" + k, PAGE));
                List<Long> json = ids(c, "SELECT id FROM entry_data WHERE tenant_id = 1 AND model_id = ? AND"
                        + " JSON_UNQUOTE(JSON_EXTRACT(fields, '$.status')) = ? ORDER BY id LIMIT ?", List.of(model.modelId(), "s" + k, PAGE));
                if (!engineIds.equals(plain) || !engineIds.equals(json) || engineIds.isEmpty()) {
                    throw new IllegalStateException("methods disagree for s" + k + ": engine " + engineIds.size()
                            + " plain " + plain.size() + " json " + json.size());
                }
            }
        }
        System.err.println("cross-check: engine, plain table and JSON scan return the same pages");
    }

    private void exec(String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private String scalar(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // ---- report ---------------------------------------------------------------------------------------------

    private String probeText(FilterNode f, SchemaSnapshot snapshot) {
        EntryReader.FilterSql sql = MySqlSearchDriver.toFilterSql(MySqlSearchDriver.compile(f, snapshot));
        return inline(EntryReader.probeSql(sql), EntryReader.probeBindings(
                EntryQuery.all(1, model.modelId()).withFilter(f).withPageSize(PAGE), 0, sql));
    }

    /** The statement with its (trusted, generated) values spliced in, for EXPLAIN ANALYZE. */
    private static String inline(String sql, List<?> bindings) {
        StringBuilder out = new StringBuilder();
        int b = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                Object v = bindings.get(b++);
                out.append(v instanceof String s ? "'" + s + "'" : String.valueOf(v));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static String plan(Connection c, String label, String sql) throws SQLException {
        StringBuilder out = new StringBuilder(label).append(":\n");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN ANALYZE " + sql)) {
            while (rs.next()) {
                out.append(rs.getString(1).stripTrailing()).append('\n');
            }
        }
        return out.toString();
    }

    private void report(double loadSeconds, double plainSeconds, List<Result> results, List<String> plans)
            throws SQLException {
        StringBuilder out = new StringBuilder();
        out.append("## Search benchmark: ").append(String.format("%,d", options.entries())).append(" entries\n\n");
        out.append("- MySQL ").append(scalar("SELECT VERSION()")).append(" (embedded, buffer pool ")
                .append(options.bufferPoolBytes() >> 20).append(" MiB, binlog on), JVM ")
                .append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n");
        out.append(String.format("- load through the engine's bulk path (%d loader threads, 1,000 entries per"
                        + " transaction): %.1f s, **%,.0f entries/s**%n", options.loaders(), loadSeconds,
                options.entries() / loadSeconds));
        out.append(String.format("- plain table built by INSERT … SELECT in %.1f s%n", plainSeconds));
        out.append("- table sizes (data + indexes): ").append(sizes()).append('\n');
        out.append(String.format("- %d measured iterations per method (%d for the JSON scan) after a warm-up of all, a fresh"
                + " random value each, first page of %d rows in id order, seed %d%n%n", options.iterations(),
                options.jsonIterations(), PAGE, options.seed()));
        out.append("| filter | method | p50 ms | p99 ms | mean ms | rows/page |\n|---|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            out.append(String.format("| %s | %s | %.2f | %.2f | %.2f | %.0f |%n", r.query(), r.method(),
                    r.latencies().p50Millis(), r.latencies().p99Millis(), r.latencies().meanMillis(), r.meanRows()));
        }
        out.append("\n<details><summary>Plans (EXPLAIN ANALYZE of one sample each)</summary>\n\n```\n");
        plans.forEach(p -> out.append(p).append('\n'));
        out.append("```\n</details>\n");
        System.out.println(out);
    }

    private String sizes() throws SQLException {
        List<String> parts = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, (data_length + index_length) / 1048576 FROM"
                     + " information_schema.TABLES WHERE table_schema = DATABASE() AND table_name IN"
                     + " ('entry_data', 'entry_slots_page_1', 'plain_orders') ORDER BY table_name")) {
            while (rs.next()) {
                parts.add(String.format("%s %.0f MiB", rs.getString(1), rs.getDouble(2)));
            }
        }
        return String.join(", ", parts);
    }
}
