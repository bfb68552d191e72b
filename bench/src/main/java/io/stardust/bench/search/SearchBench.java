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
import io.stardust.SortSpec;
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

/**
 * Search latency on a million entries, three ways in one run against one embedded mysqld:
 * <ol>
 *   <li><b>engine</b>: {@code StarDust.read} with a filter (pre-flight, the probe on the slot index, the fetch of
 *       the page's rows and their assembly), and its probe alone (the id query the MySQL driver runs);</li>
 *   <li><b>JSON scan</b>: the same page selected with {@code JSON_EXTRACT} on {@code entry_data.fields}, which is
 *       what filtering without slots costs;</li>
 *   <li><b>plain table</b>: the same page from an ordinary table holding the same values in native columns with
 *       {@code (tenant_id, column)} indexes, the lower bound StarDust aims at.</li>
 * </ol>
 * Shapes ({@link #shapes}): every operator (eq, in, range, prefix, null checks, not), at selectivities from 0.01 % to
 * 10 %, an AND of two slots, an OR across two slots and a page sorted by a field. Every iteration draws a fresh
 * value, so the measurements are not one cached plan on one hot range. The entries are loaded through the engine's
 * synchronous bulk path. Before anything is timed, every shape is cross-checked: the three methods return the same
 * page.
 */
public final class SearchBench {
    private static final int PAGE = 100;
    private static final int STATUS_VALUES = 1000;
    private static final int CODE_VALUES = 10_000;
    private static final int AMOUNT_RANGE = 1_000_000;
    private static final String J_STATUS = "(fields->>'$.status')";
    private static final String J_CODE = "(fields->>'$.code')";
    private static final String J_AMOUNT = "JSON_EXTRACT(fields, '$.amount')";

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
                new FieldSpec("code", DeclaredType.STRING, true), new FieldSpec("amount", DeclaredType.INT, true),
                new FieldSpec("note", DeclaredType.STRING, false)));
        engine.ensureSlots(1, model.modelId());
        exec("UPDATE stardust_slot_assignments SET status = 'ready' WHERE field_id IS NOT NULL",
                "UPDATE stardust_schema_version SET version = version + 1");

        double loadSeconds = load();
        SnapshotCache snapshots = new SnapshotCache(ds, Clock.systemUTC());
        SchemaSnapshot snapshot = snapshots.get(1, model.modelId(), "bench");
        double plainSeconds = buildPlainTable(snapshot);
        exec("ANALYZE TABLE entry_data, entry_slots_page_1, plain_orders");

        List<Shape> shapes = shapes();
        try (Connection c = ds.getConnection()) {
            crossCheck(c, shapes);
        }
        List<Result> results = new ArrayList<>();
        List<String> plans = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (Shape shape : shapes) {
                measureAll(results, methods(c, shape, snapshot));
                Shape.Case sample = shape.caseOf().apply(shape.domain() / 2);
                if (!sample.sortedByAmount()) {
                    plans.add(plan(c, "engine probe, " + shape.label(), probeText(sample, snapshot)));
                }
                plans.add(plan(c, "plain table, " + shape.label(), inline(plainSql(sample), plainArgs(sample))));
            }
        }
        report(loadSeconds, plainSeconds, results, plans);
    }

    /** The shapes measured; k is the iteration's random draw. */
    private List<Shape> shapes() {
        List<Shape> out = new ArrayList<>();
        out.add(new Shape("eq (string, 0.01 %)", CODE_VALUES, k -> idCase(Filters.leaf("code", "eq", code(k)),
                "code = ?", List.of(code(k)), J_CODE + " = ?", List.of(code(k)))));
        out.add(new Shape("eq (string, 0.1 %)", STATUS_VALUES, k -> idCase(Filters.leaf("status", "eq", "s" + k),
                "status = ?", List.of("s" + k), J_STATUS + " = ?", List.of("s" + k))));
        out.add(new Shape("in (string, 10 values, 0.1 %)", CODE_VALUES - 10, k -> {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                values.add(code(k + i));
            }
            String marks = String.join(",", java.util.Collections.nCopies(10, "?"));
            return idCase(Filters.leaf("code", "in", values), "code IN (" + marks + ")", values,
                    J_CODE + " IN (" + marks + ")", values);
        }));
        for (int divisor : new int[] {10_000, 1000, 100, 10}) {
            int width = AMOUNT_RANGE / divisor;
            out.add(new Shape("range (int, " + percent(divisor) + ")", AMOUNT_RANGE - width, k -> {
                List<Object> ends = List.of((long) k, (long) k + width - 1);
                return idCase(Filters.leaf("amount", "between", ends), "amount BETWEEN ? AND ?", ends,
                        J_AMOUNT + " BETWEEN ? AND ?", ends);
            }));
        }
        out.add(new Shape("range (string, 1 %)", 100, k -> {
            List<Object> ends = List.of(String.format("c%02d00", k), String.format("c%02d99", k));
            return idCase(Filters.leaf("code", "between", ends), "code BETWEEN ? AND ?", ends,
                    J_CODE + " BETWEEN ? AND ?", ends);
        }));
        for (int digits = 3; digits >= 1; digits--) {
            int d = digits;
            int values = (int) Math.pow(10, d);
            out.add(new Shape("prefix (string, " + percent(values) + ")", values, k -> {
                String prefix = "c" + String.format("%0" + d + "d", k);
                return idCase(Filters.leaf("code", "prefix", prefix), "code LIKE ?", List.of(prefix + "%"),
                        J_CODE + " LIKE ?", List.of(prefix + "%"));
            }));
        }
        out.add(new Shape("is_null (string, 1 %)", 1, k -> idCase(Filters.leaf("code", "is_null", null),
                "code IS NULL", List.of(), J_CODE + " IS NULL", List.of())));
        out.add(new Shape("is_not_null (string, 99 %)", 1, k -> idCase(Filters.leaf("code", "is_not_null", null),
                "code IS NOT NULL", List.of(), J_CODE + " IS NOT NULL", List.of())));
        out.add(new Shape("not eq (string, 99.9 %)", STATUS_VALUES, k -> idCase(
                Filters.not(Filters.leaf("status", "eq", "s" + k)), "NOT (status = ?)", List.of("s" + k),
                "NOT (" + J_STATUS + " = ?)", List.of("s" + k))));
        out.add(new Shape("and: eq string 0.1 % and int < half (0.05 %)", STATUS_VALUES, k -> idCase(
                Filters.and(Filters.leaf("status", "eq", "s" + k), Filters.leaf("amount", "lt", AMOUNT_RANGE / 2)),
                "status = ? AND amount < ?", List.of("s" + k, (long) AMOUNT_RANGE / 2),
                J_STATUS + " = ? AND " + J_AMOUNT + " < ?", List.of("s" + k, (long) AMOUNT_RANGE / 2))));
        out.add(new Shape("or: eq string 0.1 % or int range 0.1 % (0.2 %)", STATUS_VALUES, k -> {
            long lo = (long) k * 997;
            List<Object> args = List.of("s" + k, lo, lo + 999);
            return idCase(Filters.or(Filters.leaf("status", "eq", "s" + k), Filters.leaf("amount", "between", List.of(lo, lo + 999))),
                    "status = ? OR amount BETWEEN ? AND ?", args, J_STATUS + " = ? OR " + J_AMOUNT + " BETWEEN ? AND ?", args);
        }));
        out.add(new Shape("sorted by int: eq string 0.1 %", STATUS_VALUES, k -> new Shape.Case(
                Filters.leaf("status", "eq", "s" + k), SortSpec.byField("amount", SortSpec.Direction.ASC),
                "status = ?", List.of("s" + k), J_STATUS + " = ?", List.of("s" + k))));
        return out;
    }

    private static Shape.Case idCase(FilterNode filter, String plainWhere, List<Object> plainArgs, String jsonWhere,
                                     List<Object> jsonArgs) {
        return new Shape.Case(filter, SortSpec.byId(), plainWhere, plainArgs, jsonWhere, jsonArgs);
    }

    private static String code(int k) {
        return String.format("c%04d", k);
    }

    private static String percent(int divisor) {
        return new java.math.BigDecimal(100).divide(new java.math.BigDecimal(divisor)).stripTrailingZeros().toPlainString() + " %";
    }

    private String plainSql(Shape.Case c) {
        return "SELECT id FROM plain_orders WHERE tenant_id = ? AND id > 0 AND (" + c.plainWhere() + ") ORDER BY "
                + (c.sortedByAmount() ? "amount, id" : "id") + " LIMIT ?";
    }

    private static List<Object> plainArgs(Shape.Case c) {
        List<Object> args = new ArrayList<>();
        args.add(1L);
        args.addAll(c.plainArgs());
        args.add(PAGE + 1);
        return args;
    }

    private String jsonSql(Shape.Case c) {
        return "SELECT id FROM entry_data WHERE tenant_id = ? AND model_id = ? AND deleted_at IS NULL AND id > 0 AND ("
                + c.jsonWhere() + ") ORDER BY " + (c.sortedByAmount() ? "CAST(" + J_AMOUNT + " AS SIGNED), id" : "id")
                + " LIMIT ?";
    }

    private List<Object> jsonArgs(Shape.Case c) {
        List<Object> args = new ArrayList<>();
        args.add(1L);
        args.add(model.modelId());
        args.addAll(c.jsonArgs());
        args.add(PAGE + 1);
        return args;
    }

    private EntryQuery query(Shape.Case c) {
        return EntryQuery.all(1, model.modelId()).withFilter(c.filter()).withSort(c.sort()).withPageSize(PAGE);
    }

    // ---- data -----------------------------------------------------------------------------------------------

    /** One entry's values, a pure function of (seed, index), so every loader thread and every run agree. */
    private record Row(String status, String code, long amount, String note) {
        static Row of(long seed, long index) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
            StringBuilder note = new StringBuilder(40);
            for (int i = 0; i < 40; i++) {
                note.append((char) ('a' + r.nextInt(26)));
            }
            String code = SearchBench.code(r.nextInt(CODE_VALUES));
            return new Row("s" + r.nextInt(STATUS_VALUES), r.nextInt(100) == 0 ? null : code, r.nextInt(AMOUNT_RANGE),
                    note.toString());
        }

        /** The payload: a row without a code has no {@code code} key (1 % of rows). */
        Map<String, Object> payload() {
            Map<String, Object> out = new java.util.HashMap<>(Map.of("status", status, "amount", amount, "note", note));
            if (code != null) {
                out.put("code", code);
            }
            return out;
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
                        payloads.add(EntryPayload.of(1, model.modelId(), row.payload()));
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
    private double buildPlainTable(SchemaSnapshot snapshot) throws SQLException {
        long t0 = System.nanoTime();
        exec("CREATE TABLE plain_orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id BIGINT NOT NULL,"
                + " status VARCHAR(64) NULL, code VARCHAR(64) NULL, amount BIGINT NULL,"
                + " KEY ix_plain_status (tenant_id, status), KEY ix_plain_code (tenant_id, code),"
                + " KEY ix_plain_amount (tenant_id, amount))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci",
                "INSERT INTO plain_orders (id, tenant_id, status, code, amount) SELECT e.id, e.tenant_id, p."
                        + snapshot.field("status").slotColumn() + ", p." + snapshot.field("code").slotColumn() + ", p."
                        + snapshot.field("amount").slotColumn() + " FROM entry_data e JOIN "
                        + snapshot.field("status").table() + " p ON p.entry_id = e.id");
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---- measurement ----------------------------------------------------------------------------------------

    record Result(String query, String method, Latencies latencies, double meanRows) {
    }

    /** One way of answering the filter: run it once with a fresh random value, return the rows of the page. */
    private record Method(String query, String name, boolean slow, Probe probe) {
    }

    private List<Method> methods(Connection c, Shape shape, SchemaSnapshot snapshot) {
        SplittableRandom rnd = new SplittableRandom(options.seed() + shape.label().hashCode());
        String name = shape.label();
        List<Method> out = new ArrayList<>();
        out.add(new Method(name, "engine read() (probe + fetch + assemble 100 rows)", false,
                () -> engine.read(query(shape.caseOf().apply(rnd.nextInt(shape.domain())))).rows().size()));
        if (!shape.caseOf().apply(0).sortedByAmount()) { // a sorted probe is not exposed on its own
            out.add(new Method(name, "engine probe only (the driver's id query)", false, () -> {
                Shape.Case k = shape.caseOf().apply(rnd.nextInt(shape.domain()));
                EntryReader.FilterSql sql = MySqlSearchDriver.toFilterSql(MySqlSearchDriver.compile(k.filter(), snapshot));
                return count(c, EntryReader.probeSql(sql), EntryReader.probeBindings(query(k), 0, sql));
            }));
        }
        out.add(new Method(name, "plain table, native indexed column", false, () -> {
            Shape.Case k = shape.caseOf().apply(rnd.nextInt(shape.domain()));
            return count(c, plainSql(k), plainArgs(k));
        }));
        out.add(new Method(name, "JSON_EXTRACT scan on entry_data", true, () -> {
            Shape.Case k = shape.caseOf().apply(rnd.nextInt(shape.domain()));
            return count(c, jsonSql(k), jsonArgs(k));
        }));
        return out;
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

    /** The three methods must return the same page for every shape, or the timings compare different work. */
    private void crossCheck(Connection c, List<Shape> shapes) throws SQLException {
        for (Shape shape : shapes) {
            for (int k : new int[] {0, shape.domain() / 2, shape.domain() - 1}) {
                Shape.Case q = shape.caseOf().apply(k);
                List<Long> engineIds = engine.read(query(q)).rows().stream().map(e -> e.id()).toList();
                List<Long> plain = ids(c, plainSql(q), plainArgs(q));
                List<Long> json = ids(c, jsonSql(q), jsonArgs(q));
                plain = plain.subList(0, Math.min(PAGE, plain.size()));
                json = json.subList(0, Math.min(PAGE, json.size()));
                if (!engineIds.equals(plain) || !engineIds.equals(json)) {
                    throw new IllegalStateException("methods disagree for " + shape.label() + ", k = " + k + ": engine "
                            + engineIds.size() + " " + head(engineIds) + ", plain " + plain.size() + " " + head(plain)
                            + ", json " + json.size() + " " + head(json));
                }
            }
        }
        System.err.println("cross-check: engine, plain table and JSON scan return the same pages for every shape");
    }

    private static List<Long> head(List<Long> ids) {
        return ids.subList(0, Math.min(5, ids.size()));
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

    private String probeText(Shape.Case c, SchemaSnapshot snapshot) {
        EntryReader.FilterSql sql = MySqlSearchDriver.toFilterSql(MySqlSearchDriver.compile(c.filter(), snapshot));
        return inline(EntryReader.probeSql(sql), EntryReader.probeBindings(query(c), 0, sql));
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
        out.append("\n").append(summary(results));
        out.append("\n<details><summary>Plans (EXPLAIN ANALYZE of one sample each)</summary>\n\n```\n");
        plans.forEach(p -> out.append(p).append('\n'));
        out.append("```\n</details>\n");
        System.out.println(out);
    }

    /** Per shape, the targets: probe within 1.5x of the plain table, read() within 1 ms of its probe, faster than JSON. */
    private static String summary(List<Result> results) {
        StringBuilder out = new StringBuilder("| filter | probe / native (p50) | read() − probe (p50 ms) | engine read() vs JSON scan (p50) |\n"
                + "|---|---:|---:|---:|\n");
        java.util.Map<String, java.util.Map<String, Double>> byShape = new java.util.LinkedHashMap<>();
        results.forEach(r -> byShape.computeIfAbsent(r.query(), q -> new java.util.HashMap<>())
                .put(r.method().split(" ")[0] + " " + r.method().split(" ")[1], r.latencies().p50Millis()));
        byShape.forEach((shape, p50) -> {
            Double read = p50.get("engine read()");
            Double probe = p50.get("engine probe");
            Double plain = p50.get("plain table,");
            Double json = p50.get("JSON_EXTRACT scan");
            out.append(String.format("| %s | %s | %s | %s |%n", shape,
                    probe == null ? "n/a" : String.format("%.2fx", probe / plain),
                    probe == null ? "n/a" : String.format("%.2f", read - probe),
                    String.format("%.2fx faster", json / read)));
        });
        return out.toString();
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
