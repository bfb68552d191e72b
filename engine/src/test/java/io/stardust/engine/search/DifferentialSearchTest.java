package io.stardust.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.EntryPayload;
import io.stardust.EntryQuery;
import io.stardust.FieldDescription;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.search.InMemoryFilterEvaluator.EntrySlots;
import io.stardust.SortSpec;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.slot.PageLayout;
import io.stardust.engine.slot.PageProvisioner;
import io.stardust.filter.AndNode;
import io.stardust.filter.FieldRef;
import io.stardust.filter.FilterNode;
import io.stardust.filter.FilterValue;
import io.stardust.filter.JsonFilterEncoder;
import io.stardust.filter.LeafNode;
import io.stardust.filter.NotNode;
import io.stardust.filter.Operators;
import io.stardust.filter.OrNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Differential test of the whole search path against {@link InMemoryFilterEvaluator}: random models (all four
 * types, fields spread over several pages), random entries (NULLs, absent keys, boundary values, unicode, entries
 * without page rows, soft-deleted ones, and a second tenant holding the same values), and thousands of random
 * filter trees (every operator, nested and/or/not). For each filter the engine's complete result, followed through
 * cursors with a small random page size, must equal the evaluator's matches in id order.
 *
 * <p>The evaluator is fed the slot values as MySQL stores them (read back from the page tables), so the test pins
 * the filter semantics (three-valued logic, page-row presence, collation, numeric comparison, UTC datetimes), not the
 * write path's coercion. String ordering operators only run on fields whose data is alphanumeric, where the
 * evaluator's approximation of {@code utf8mb4_0900_ai_ci} ordering is exact (see its caveats); unicode, symbols and
 * LIKE metacharacters go to fields filtered by equality, sets, presence and prefix only.
 *
 * <p>Reproduce: the seed is printed on failure; run with {@code -Dstardust.diff.seed=N} (and
 * {@code -Dstardust.diff.cases=N}, {@code -Dstardust.diff.only=CASE} to replay one case).
 */
@ExtendWith(MySqlExtension.class)
class DifferentialSearchTest {
    private static final long SEED = Long.getLong("stardust.diff.seed", 0x5EA5C4L);
    private static final int CASES = Integer.getInteger("stardust.diff.cases", 3000);
    private static final int ONLY = Integer.getInteger("stardust.diff.only", -1);
    private static final int MODELS = 4;
    private static final int ENTRIES_PER_MODEL = 110;
    private static final DateTimeFormatter RFC3339_LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private static final List<Long> INTS = List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_007L, -42L, -1L, 0L,
            1L, 2L, 7L, 42L, 1000L, 2147483647L, 2147483648L, 9007199254740992L, 9007199254740993L,
            Long.MAX_VALUE - 1, Long.MAX_VALUE);
    private static final List<Double> DOUBLES = List.of(0.0, -0.0, 0.1, 0.5, -2.5, 1.0, 3.0, 1e15, 9007199254740992.0,
            1e-300, Double.MIN_NORMAL, -Double.MAX_VALUE, Double.MAX_VALUE, 123.456, -0.001);
    /** Data of fields that get ordering operators: letters (any case, NFD-decomposable accents), digits, spaces. */
    private static final List<String> ALNUM = List.of("", "a", "A", "b", "ab", "abc", "ABC", "abd", "ab1", "a b", "a  b",
            "a ", "e", "E", "é", "É", "f", "zeta", "Zeta", "z", "0", "00", "1", "10", "9", "résumé", "resume", "RESUME",
            "Straße", "strasse", "naïve", "naive", "ñandú", "nandu", "x".repeat(800) + "a", "x".repeat(800) + "b",
            "x".repeat(766),
            // around the v2 key (PageLayout.KEY_BYTES of weight string, two bytes a letter): values that fit it, that
            // fill it exactly, and longer ones sharing the key; ß and ss are equal under the collation, at any length
            "y".repeat(63), "Y".repeat(63), "y".repeat(64), "y".repeat(64) + "a", "y".repeat(64) + "b", "y".repeat(65),
            "y".repeat(200) + "a", "Y".repeat(200) + "A", "ß".repeat(40), "ss".repeat(40), "ß".repeat(40) + "x");
    /** Data of fields filtered only by equality, sets, presence and prefix. */
    private static final List<String> UNICODE = List.of("日本語", "日本", "中文", "😀", "😀x", "Ωμέγα", "ωμεγα",
            "Привет", "привет", "ПРИВЕТ", "50%_off\\", "50%", "5_0", "a\\b", "a_b", "a%b", "a.b", "a-b", "O'Brien",
            "tab\there", "line\nbreak");
    private static final List<LocalDateTime> TIMES = List.of(LocalDateTime.of(1000, 1, 1, 0, 0),
            LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1999, 12, 31, 23, 59, 59),
            LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.of(2024, 2, 29, 12, 0),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59));
    private static final List<ZoneOffset> OFFSETS = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHours(-8), ZoneOffset.ofHours(14), ZoneOffset.ofHours(-12));

    private final TestDatabase db;
    private EngineFixture fx;

    DifferentialSearchTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A generated field: its declared type and, for strings, whether its data is alphanumeric (orderable). */
    private record Field(String name, DeclaredType type, boolean ordered) {
    }

    private record Model(String name, int id, List<Field> fields, Map<Long, EntrySlots> entries,
                         Map<String, List<Object>> present) {
    }

    /** Which layout each of the test's pages has: all upstream's, all v2, or a mix (models span pages). */
    enum Pages {
        V1(PageLayout.V1, PageLayout.V1, PageLayout.V1, PageLayout.V1),
        V2(PageLayout.V2, PageLayout.V2, PageLayout.V2, PageLayout.V2),
        MIXED(PageLayout.V1, PageLayout.V2, PageLayout.V1, PageLayout.V2);

        final int[] layouts;

        Pages(int... layouts) {
            this.layouts = layouts;
        }
    }

    @ParameterizedTest
    @EnumSource(Pages.class)
    void engineAgreesWithTheReferenceEvaluator(Pages pages) {
        fx = EngineFixture.fresh(db);
        Random rnd = new Random(SEED);
        fillPagesPartly(pages);
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < MODELS; i++) {
            models.add(createModel(rnd, "m" + i));
        }
        List<String> failures = new ArrayList<>();
        int pureAnd = 0;
        long started = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            if (ONLY >= 0 && c != ONLY) {
                continue;
            }
            // Mixed, because java.util.Random's first draws from consecutive seeds are strongly correlated.
            Random caseRnd = new Random(new SplittableRandom(SEED).split().nextLong() ^ mix(c));
            Model model = models.get(caseRnd.nextInt(models.size()));
            boolean andOnly = caseRnd.nextInt(100) < 25;
            FilterNode filter = node(caseRnd, model, 1, andOnly);
            if (SqlFilterCompiler.strategyOf(filter).equals(CompiledFilter.JOINS)) {
                pureAnd++;
            }
            int pageSize = 1 + caseRnd.nextInt(caseRnd.nextBoolean() ? 7 : 40);
            SortSpec sort = sort(caseRnd, model);
            List<Long> expected = sorted(model, expected(model, filter), sort);
            List<Long> actual;
            try {
                actual = engineIds(model, filter, pageSize, sort);
            } catch (RuntimeException e) {
                failures.add(describe(c, model, filter, pageSize, expected, null) + "\n  sort " + sort + "\n  threw " + e);
                continue;
            }
            if (!actual.equals(expected)) {
                failures.add(describe(c, model, filter, pageSize, expected, actual) + "\n  sort " + sort);
            }
            if (failures.size() >= 5) {
                break;
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertThat(failures).as("seed %d (rerun with -Dstardust.diff.seed=%d): %d mismatches\n%s", SEED, SEED,
                failures.size(), String.join("\n\n", failures)).isEmpty();
        if (ONLY < 0) {
            assertThat(pureAnd).as("both compile strategies are exercised").isBetween(CASES / 5, CASES * 4 / 5);
        }
        System.out.printf("differential search (%s pages): seed %d, %d cases (%d join strategy) in %d s%n", pages, SEED,
                CASES, pureAnd, seconds);
    }

    // ---- data -----------------------------------------------------------------------------------------------

    /**
     * Fully indexed pages of the given layouts, the first mostly taken by another tenant, so test models span pages
     * (a page the reserver provisions when these are full is of the current layout).
     */
    private void fillPagesPartly(Pages pages) {
        PageProvisioner provisioner = new PageProvisioner(fx.ds, new UtcClock(java.time.Clock.systemUTC()), "differential");
        for (int layout : pages.layouts) {
            provisioner.provision(PageLayout.COLUMNS, layout);
        }
        List<FieldSpec> filler = new ArrayList<>();
        Map<String, Integer> taken = Map.of("str", 23, "int", 13, "num", 8, "dt", 9);
        taken.forEach((family, n) -> {
            for (int i = 0; i < n; i++) {
                filler.add(new FieldSpec(family + i, DeclaredType.ofFamily(family), true));
            }
        });
        ModelDefinition def = fx.engine.defineModel(9, "filler", filler);
        for (FieldSpec f : filler) {
            fx.engine.reserveSlot(def.fieldId(f.name())).orElseThrow();
        }
    }

    private Model createModel(Random rnd, String name) {
        List<Field> fields = new ArrayList<>();
        int n = 0;
        for (DeclaredType type : DeclaredType.values()) {
            int count = type == DeclaredType.STRING ? 2 : 1 + rnd.nextInt(2);
            for (int i = 0; i < count; i++) {
                // The first string field is alphanumeric (ordered), the second unicode.
                fields.add(new Field(type.wireName() + "_" + (n++), type, type != DeclaredType.STRING || i == 0));
            }
        }
        List<FieldSpec> specs = new ArrayList<>();
        fields.forEach(f -> specs.add(new FieldSpec(f.name(), f.type(), true)));
        specs.add(new FieldSpec("note", DeclaredType.STRING, false));
        ModelDefinition mine = fx.engine.defineModel(1, name, specs);
        ModelDefinition theirs = fx.engine.defineModel(2, name, specs);
        for (Field f : fields) {
            fx.engine.reserveSlot(mine.fieldId(f.name())).orElseThrow();
            fx.engine.reserveSlot(theirs.fieldId(f.name())).orElseThrow();
        }

        List<EntryPayload> payloads = new ArrayList<>();
        List<EntryPayload> collisions = new ArrayList<>();
        for (int e = 0; e < ENTRIES_PER_MODEL; e++) {
            ObjectNode payload = JsonNodeFactory.instance.objectNode();
            int shape = rnd.nextInt(100);
            if (shape >= 6) { // 6 %: no filterable key at all, hence no page row anywhere
                for (Field f : fields) {
                    int p = rnd.nextInt(100);
                    if (p < 12) {
                        continue; // absent
                    }
                    if (p < 22) {
                        payload.putNull(f.name());
                    } else {
                        putValue(payload, f, rnd);
                    }
                }
            }
            payload.put("note", "entry " + e);
            payloads.add(new EntryPayload(1, mine.modelId(), payload));
            if (rnd.nextInt(3) == 0) {
                collisions.add(new EntryPayload(2, theirs.modelId(), payload.deepCopy()));
            }
        }
        assertThat(fx.engine.bulkWrite(payloads).entriesCommitted()).isEqualTo(payloads.size());
        assertThat(fx.engine.bulkWrite(collisions).entriesCommitted()).isEqualTo(collisions.size());

        List<Long> ids = fx.rows("SELECT id FROM entry_data WHERE tenant_id = 1 AND model_id = ? ORDER BY id",
                mine.modelId()).stream().map(r -> ((Number) r.get(0)).longValue()).toList();
        // Some entries are soft-deleted; some lose their row on one page (as if written before the slot existed).
        for (long id : ids) {
            if (rnd.nextInt(100) < 4) {
                fx.engine.deleteEntry(1, id);
            }
        }
        Map<String, FieldDescription> slots = new HashMap<>();
        fx.engine.describeModel(1, mine.modelId()).orElseThrow().fields().forEach(d -> slots.put(d.name(), d));
        List<Integer> pages = slots.values().stream().filter(d -> d.pageId() != null).map(FieldDescription::pageId)
                .distinct().sorted().toList();
        int victimPage = pages.get(pages.size() - 1);
        for (long id : ids) {
            if (rnd.nextInt(100) < 5) {
                fx.exec("DELETE FROM " + PageLayout.tableName(victimPage) + " WHERE entry_id = " + id);
            }
        }
        return new Model(name, mine.modelId(), fields, readSlots(mine.modelId(), fields, slots, pages), new HashMap<>());
    }

    private void putValue(ObjectNode payload, Field f, Random rnd) {
        switch (f.type()) {
            case INT -> payload.put(f.name(), rnd.nextInt(3) == 0 ? (long) pick(rnd, INTS) : (long) rnd.nextInt(41) - 20);
            case NUMERIC -> {
                int k = rnd.nextInt(4);
                if (k == 0) {
                    payload.put(f.name(), (double) pick(rnd, DOUBLES));
                } else if (k == 1) {
                    payload.put(f.name(), (long) rnd.nextInt(21) - 10); // an integer into a DOUBLE slot
                } else {
                    payload.put(f.name(), (rnd.nextInt(81) - 40) / 4.0);
                }
            }
            case STRING -> payload.put(f.name(), f.ordered() ? pick(rnd, ALNUM)
                    : (rnd.nextBoolean() ? pick(rnd, UNICODE) : pick(rnd, ALNUM)));
            case DATETIME -> {
                LocalDateTime t = rnd.nextInt(4) == 0 ? pick(rnd, TIMES)
                        : LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(rnd.nextInt(200) * 3600L + rnd.nextInt(3));
                payload.put(f.name(), rfc3339(t, rnd, true));
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The slot values as MySQL holds them, and which entries have no row on a field's page. */
    private Map<Long, EntrySlots> readSlots(int modelId, List<Field> fields, Map<String, FieldDescription> slots,
                                            List<Integer> pages) {
        List<Long> live = fx.rows("SELECT id FROM entry_data WHERE tenant_id = 1 AND model_id = ? AND deleted_at IS NULL"
                + " ORDER BY id", modelId).stream().map(r -> ((Number) r.get(0)).longValue()).toList();
        Map<Integer, Map<Long, Map<String, Object>>> rowsByPage = new HashMap<>();
        for (int page : pages) {
            StringBuilder cols = new StringBuilder();
            List<String> names = new ArrayList<>();
            for (Field f : fields) {
                FieldDescription d = slots.get(f.name());
                if (d.pageId() == page) {
                    cols.append(", p.").append(d.slotColumn());
                    names.add(f.name());
                }
            }
            Map<Long, Map<String, Object>> rows = new HashMap<>();
            try (Connection c = fx.ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT p.entry_id" + cols
                    + " FROM " + PageLayout.tableName(page) + " p JOIN entry_data e ON e.id = p.entry_id"
                    + " WHERE e.tenant_id = 1 AND e.model_id = ?")) {
                ps.setInt(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> values = new HashMap<>();
                        for (int i = 0; i < names.size(); i++) {
                            values.put(names.get(i), rs.getObject(i + 2));
                        }
                        rows.put(rs.getLong(1), values);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            rowsByPage.put(page, rows);
        }
        Map<Long, EntrySlots> out = new TreeMap<>();
        for (long id : live) {
            Map<String, Object> values = new HashMap<>();
            Set<String> missing = new HashSet<>();
            for (Field f : fields) {
                Map<String, Object> row = rowsByPage.get(slots.get(f.name()).pageId()).get(id);
                if (row == null) {
                    missing.add(f.name());
                } else if (row.get(f.name()) != null) {
                    values.put(f.name(), row.get(f.name()));
                }
            }
            out.put(id, new EntrySlots(values, missing));
        }
        return out;
    }

    /** The distinct non-null values a field holds, computed once per field. */
    private static List<Object> present(Model model, String field) {
        return model.present().computeIfAbsent(field, f -> model.entries().values().stream()
                .map(e -> e.values().get(f)).filter(v -> v != null).distinct().toList());
    }

    // ---- filters --------------------------------------------------------------------------------------------

    private FilterNode node(Random rnd, Model model, int depth, boolean andOnly) {
        int composite = depth >= 4 ? 0 : (depth == 1 ? 75 : 35);
        if (rnd.nextInt(100) >= composite) {
            return leaf(rnd, model);
        }
        int kind = andOnly ? 0 : rnd.nextInt(3);
        if (kind == 2) {
            return new NotNode(node(rnd, model, depth + 1, false));
        }
        int n = 1 + rnd.nextInt(3);
        List<FilterNode> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            args.add(node(rnd, model, depth + 1, andOnly));
        }
        return kind == 0 ? new AndNode(args) : new OrNode(args);
    }

    private LeafNode leaf(Random rnd, Model model) {
        Field f = pick(rnd, model.fields());
        FieldRef ref = new FieldRef(model.name(), f.name());
        List<String> ops = new ArrayList<>(List.of(Operators.EQ, Operators.NEQ, Operators.IN, Operators.NIN,
                Operators.IS_NULL, Operators.IS_NOT_NULL));
        if (f.type() != DeclaredType.STRING || f.ordered()) {
            ops.addAll(List.of(Operators.LT, Operators.LTE, Operators.GT, Operators.GTE, Operators.BETWEEN));
        }
        if (f.type() == DeclaredType.STRING || (f.type() == DeclaredType.DATETIME && rnd.nextInt(4) == 0)) {
            ops.add(Operators.PREFIX);
        }
        String op = pick(rnd, ops);
        if (Operators.isPresence(op)) {
            return new LeafNode(op, ref, null);
        }
        if (op.equals(Operators.PREFIX)) {
            return new LeafNode(op, ref, prefixValue(rnd, model, f));
        }
        if (Operators.isSet(op) || op.equals(Operators.BETWEEN)) {
            int n = op.equals(Operators.BETWEEN) ? 2 : 1 + rnd.nextInt(4);
            List<FilterValue.Scalar> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add(value(rnd, model, f));
            }
            return new LeafNode(op, ref, new FilterValue.ListValue(values));
        }
        return new LeafNode(op, ref, value(rnd, model, f));
    }

    /** Mostly a value the field holds (so filters match something), otherwise one from the type's pool. */
    private FilterValue.Scalar value(Random rnd, Model model, Field f) {
        List<Object> held = present(model, f.name());
        boolean fromData = !held.isEmpty() && rnd.nextInt(100) < 70;
        switch (f.type()) {
            case INT: {
                long v = fromData ? ((Number) pick(rnd, held)).longValue()
                        : (rnd.nextBoolean() ? pick(rnd, INTS) : rnd.nextInt(41) - 20);
                // An integral float is a valid int filter value, bound as the integer it denotes.
                // (Near Long.MAX_VALUE the double rounds up to 2^63, which pre-flight rightly refuses.)
                return rnd.nextInt(5) == 0 && (double) v < 0x1p63 ? FilterValue.of((double) v) : FilterValue.of(v);
            }
            case NUMERIC: {
                if (rnd.nextInt(8) == 0) {
                    return FilterValue.of(pick(rnd, INTS)); // an integer, possibly beyond 2^53, on a DOUBLE column
                }
                double v = fromData ? ((Number) pick(rnd, held)).doubleValue()
                        : (rnd.nextBoolean() ? pick(rnd, DOUBLES) : (rnd.nextInt(81) - 40) / 4.0);
                return v == Math.rint(v) && Math.abs(v) < 1e6 && rnd.nextBoolean() ? FilterValue.of((long) v)
                        : FilterValue.of(v);
            }
            case STRING: {
                String v = fromData ? (String) pick(rnd, held)
                        : (f.ordered() || rnd.nextBoolean() ? pick(rnd, ALNUM) : pick(rnd, UNICODE));
                return FilterValue.of(rnd.nextInt(6) == 0 ? recase(v, rnd) : v);
            }
            case DATETIME: {
                LocalDateTime t = fromData ? (LocalDateTime) pick(rnd, held)
                        : (rnd.nextBoolean() ? pick(rnd, TIMES) : LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(rnd.nextInt(200) * 3600L));
                LocalDateTime beside = t.plusSeconds(rnd.nextInt(3) - 1); // just beside a stored value
                if (rnd.nextInt(4) == 0 && beside.getYear() >= 1000 && beside.getYear() <= 9999) {
                    t = beside;
                }
                return FilterValue.of(rfc3339(t, rnd, true));
            }
            default:
                throw new IllegalStateException();
        }
    }

    private FilterValue.Scalar prefixValue(Random rnd, Model model, Field f) {
        if (f.type() == DeclaredType.DATETIME) {
            return value(rnd, model, f); // a whole RFC 3339 value: matches that exact second
        }
        List<Object> held = present(model, f.name());
        String source = !held.isEmpty() && rnd.nextInt(100) < 75 ? (String) pick(rnd, held)
                : (f.ordered() ? pick(rnd, ALNUM) : pick(rnd, UNICODE));
        int[] cps = source.codePoints().toArray();
        if (cps.length == 0) {
            return FilterValue.of("a");
        }
        int len = 1 + rnd.nextInt(Math.min(cps.length, 5));
        if (cps.length > 766 && rnd.nextBoolean()) {
            len = 766 + rnd.nextInt(cps.length - 765); // around the indexed prefix length
        }
        String prefix = new String(cps, 0, len);
        return FilterValue.of(rnd.nextInt(5) == 0 ? recase(prefix, rnd) : prefix);
    }

    private static String recase(String s, Random rnd) {
        return rnd.nextBoolean() ? s.toUpperCase(java.util.Locale.ROOT) : s.toLowerCase(java.util.Locale.ROOT);
    }

    /** RFC 3339 text for a UTC time, in a random offset (when the local year stays four-digit) and fraction. */
    private static String rfc3339(LocalDateTime utc, Random rnd, boolean decorate) {
        ZoneOffset offset = decorate ? pick(rnd, OFFSETS) : ZoneOffset.UTC;
        LocalDateTime local = utc.atOffset(ZoneOffset.UTC).withOffsetSameInstant(offset).toLocalDateTime();
        if (local.getYear() < 1000 || local.getYear() > 9999) {
            local = utc;
            offset = ZoneOffset.UTC;
        }
        String fraction = decorate && rnd.nextInt(4) == 0 ? "." + (1 + rnd.nextInt(999_999)) : "";
        return RFC3339_LOCAL.format(local) + fraction + (offset.equals(ZoneOffset.UTC) ? "Z" : offset.getId());
    }

    // ---- running --------------------------------------------------------------------------------------------

    private List<Long> expected(Model model, FilterNode filter) {
        Map<String, String> types = new LinkedHashMap<>();
        model.fields().forEach(f -> types.put(f.name(), f.type().wireName()));
        InMemoryFilterEvaluator evaluator = new InMemoryFilterEvaluator(types);
        List<Long> out = new ArrayList<>();
        model.entries().forEach((id, slots) -> {
            if (evaluator.matches(filter, slots)) {
                out.add(id);
            }
        });
        return out;
    }

    /** Mostly id order (the common read), otherwise id descending or a non-string field in either direction. */
    private static SortSpec sort(Random rnd, Model model) {
        int k = rnd.nextInt(10);
        if (k < 6) {
            return SortSpec.byId();
        }
        if (k == 6) {
            return SortSpec.byId(SortSpec.Direction.DESC);
        }
        List<Field> sortable = model.fields().stream().filter(f -> f.type() != DeclaredType.STRING).toList();
        return SortSpec.byField(pick(rnd, sortable).name(), rnd.nextBoolean() ? SortSpec.Direction.ASC : SortSpec.Direction.DESC);
    }

    /**
     * The matches in the sort's order: by the slot value (an entry without one, or without a page row, sorts first
     * ascending and last descending), ties by id in the sort's direction.
     */
    private static List<Long> sorted(Model model, List<Long> ids, SortSpec sort) {
        boolean desc = sort.direction() == SortSpec.Direction.DESC;
        java.util.Comparator<Long> byId = java.util.Comparator.naturalOrder();
        java.util.Comparator<Long> order;
        if (sort.key().equals(SortSpec.ID)) {
            order = byId;
        } else {
            java.util.Comparator<Long> byValue = java.util.Comparator.comparing(id -> sortValue(model, id, sort.key()),
                    java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
            order = byValue.thenComparing(byId);
        }
        List<Long> out = new ArrayList<>(ids);
        out.sort(desc ? order.reversed() : order);
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable sortValue(Model model, long id, String field) {
        Object v = model.entries().get(id).values().get(field);
        if (v instanceof Double d) {
            return d + 0.0; // MySQL orders -0.0 and 0.0 as equal (then by id); Double.compareTo does not
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return (Comparable) v;
    }

    private List<Long> engineIds(Model model, FilterNode filter, int pageSize, SortSpec sort) {
        List<Long> out = new ArrayList<>();
        EntryQuery q = EntryQuery.all(1, model.id()).withFilter(filter).withPageSize(pageSize).withSelect(List.of())
                .withSort(sort);
        for (int pages = 0; pages < 10_000; pages++) {
            EntryPage page = fx.engine.read(q);
            page.rows().stream().map(Entry::id).forEach(out::add);
            if (page.nextCursor() == null) {
                return out;
            }
            q = q.withCursor(page.nextCursor());
        }
        throw new IllegalStateException("pagination does not end");
    }

    private static String describe(int c, Model model, FilterNode filter, int pageSize, List<Long> expected,
                                   List<Long> actual) {
        StringBuilder out = new StringBuilder("case " + c + " (-Dstardust.diff.only=" + c + ") on model " + model.name()
                + ", page size " + pageSize + "\n  filter " + JsonFilterEncoder.toWireText(filter));
        out.append("\n  expected ").append(expected.size()).append(" ids: ").append(expected);
        if (actual != null) {
            out.append("\n  engine   ").append(actual.size()).append(" ids: ").append(actual);
            Set<Long> missing = new HashSet<>(expected);
            actual.forEach(missing::remove);
            Set<Long> extra = new HashSet<>(actual);
            expected.forEach(extra::remove);
            for (long id : missing) {
                out.append("\n  missing ").append(id).append(" slots ").append(model.entries().get(id));
            }
            for (long id : extra) {
                out.append("\n  extra ").append(id).append(" slots ").append(model.entries().get(id));
            }
        }
        return out.toString();
    }

    private static long mix(long x) {
        return new SplittableRandom(x * 0x9E3779B97F4A7C15L).nextLong();
    }

    private static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }
}
