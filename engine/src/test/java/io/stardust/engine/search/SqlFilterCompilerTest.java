package io.stardust.engine.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.filter.FilterNode;
import io.stardust.filter.Filters;
import io.stardust.filter.LeafNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SqlFilterCompilerTest {
    private static final String P1 = "entry_slots_page_1";
    private static final String P2 = "entry_slots_page_2";
    /** Fields resolved by name, as pre-flight would: status and state on page 1, amount and due on page 2. */
    private static final Map<String, ResolvedColumn> FIELDS = Map.of(
            "status", new ResolvedColumn(P1, "i_str_01", "string"),
            "state", new ResolvedColumn(P1, "i_str_02", "string"),
            "amount", new ResolvedColumn(P2, "i_int_03", "int"),
            "ratio", new ResolvedColumn(P2, "i_num_01", "numeric"),
            "due", new ResolvedColumn(P2, "i_dt_10", "datetime"));
    private static final Function<LeafNode, ResolvedColumn> BY_NAME = leaf -> FIELDS.get(leaf.field().fieldName());

    private static final String JOIN_P0 = "INNER JOIN entry_slots_page_1 p0 ON p0.entry_id = entry_data.id AND p0.tenant_id = entry_data.tenant_id";
    private static final String JOIN_P1 = "INNER JOIN entry_slots_page_2 p1 ON p1.entry_id = entry_data.id AND p1.tenant_id = entry_data.tenant_id";

    private static CompiledFilter compile(FilterNode f) {
        return SqlFilterCompiler.compile(f, BY_NAME);
    }

    private static String exists(String table, String predicate) {
        return "EXISTS (SELECT 1 FROM " + table + " s WHERE s.tenant_id = entry_data.tenant_id AND s.entry_id = entry_data.id AND "
                + predicate + ")";
    }

    private static LeafNode leaf(String field, String op, Object value) {
        return LeafNode.local(field, op, value);
    }

    @Test
    void nullFilterIsMatchAllWithTheJoinStrategy() {
        CompiledFilter c = compile(null);
        assertThat(c).isEqualTo(new CompiledFilter("", "", List.of(), "joins"));
        assertThat(c.hasPredicate()).isFalse();
        assertThat(probeBindings(7, 1, 0, c, 10)).containsExactly(7L, 1L, 0L, 11L);
    }

    @Test
    void pinnedExample_pureAndJoinsOncePerDistinctPageAndBindsInTreeOrder() {
        FilterNode f = Filters.and(leaf("status", "eq", "paid"), leaf("state", "eq", "open"), leaf("amount", "gt", 100));
        CompiledFilter c = compile(f);
        assertThat(c.strategy()).isEqualTo("joins");
        assertThat(c.joins()).isEqualTo(JOIN_P0 + " " + JOIN_P1);
        assertThat(c.predicate()).isEqualTo("p0.i_str_01 = ? AND p0.i_str_02 = ? AND p1.i_int_03 > ?");
        assertThat(c.bindings()).containsExactly("paid", "open", 100L);
        // How the probe composes them: tenant 7, model 1, no cursor, page size 10.
        assertThat(probeBindings(7, 1, 0, c, 10)).containsExactly(7L, 1L, 0L, "paid", "open", 100L, 11L);
    }

    @Test
    void nestedAndsFlattenAndAliasesFollowFirstAppearance() {
        FilterNode f = Filters.and(leaf("amount", "gte", 1), Filters.and(leaf("status", "neq", "void"),
                Filters.and(leaf("ratio", "lt", 0.5))));
        CompiledFilter c = compile(f);
        assertThat(c.strategy()).isEqualTo("joins");
        assertThat(c.joins()).isEqualTo(
                "INNER JOIN entry_slots_page_2 p0 ON p0.entry_id = entry_data.id AND p0.tenant_id = entry_data.tenant_id "
                        + "INNER JOIN entry_slots_page_1 p1 ON p1.entry_id = entry_data.id AND p1.tenant_id = entry_data.tenant_id");
        assertThat(c.predicate()).isEqualTo("p0.i_int_03 >= ? AND p1.i_str_01 <> ? AND p0.i_num_01 < ?");
        assertThat(c.bindings()).containsExactly(1L, "void", 0.5);
    }

    @Test
    void singleLeafIsAJoin() {
        CompiledFilter c = compile(leaf("status", "lte", "m"));
        assertThat(c).isEqualTo(new CompiledFilter(JOIN_P0, "p0.i_str_01 <= ?", List.of("m"), "joins"));
    }

    @Test
    void orSwitchesToExistsWithTheTenantReplayedInEverySubquery() {
        CompiledFilter c = compile(Filters.or(leaf("status", "eq", "paid"), leaf("amount", "gt", 100)));
        assertThat(c.strategy()).isEqualTo("exists");
        assertThat(c.joins()).isEmpty();
        assertThat(c.predicate()).isEqualTo("( " + exists(P1, "s.i_str_01 = ?") + " OR " + exists(P2, "s.i_int_03 > ?") + " )");
        assertThat(c.bindings()).containsExactly("paid", 100L);
        assertThat(c.predicate().split("s.tenant_id = entry_data.tenant_id", -1)).hasSize(3);
    }

    @Test
    void notWrapsItsChild() {
        CompiledFilter c = compile(Filters.not(leaf("status", "eq", "void")));
        assertThat(c.strategy()).isEqualTo("exists");
        assertThat(c.predicate()).isEqualTo("NOT ( " + exists(P1, "s.i_str_01 = ?") + " )");
    }

    @Test
    void orOrNotAnywhereMakesTheWholeTreeExists() {
        FilterNode f = Filters.and(leaf("status", "eq", "paid"),
                Filters.and(Filters.or(leaf("amount", "lt", 5), Filters.not(leaf("state", "is_null", null)))));
        CompiledFilter c = compile(f);
        assertThat(c.strategy()).isEqualTo("exists");
        assertThat(c.predicate()).isEqualTo("( " + exists(P1, "s.i_str_01 = ?") + " AND ( ( "
                + exists(P2, "s.i_int_03 < ?") + " OR NOT ( " + exists(P1, "s.i_str_02 IS NULL") + " ) ) ) )");
        assertThat(c.bindings()).containsExactly("paid", 5L);
    }

    @Test
    void presenceOperatorsBindNothing() {
        assertThat(compile(leaf("due", "is_null", null))).isEqualTo(
                new CompiledFilter(JOIN_P0.replace("page_1", "page_2"), "p0.i_dt_10 IS NULL", List.of(), "joins"));
        assertThat(compile(leaf("due", "is_not_null", null)).predicate()).isEqualTo("p0.i_dt_10 IS NOT NULL");
    }

    @Test
    void inAndNinExpandOnePlaceholderPerValue() {
        CompiledFilter in = compile(leaf("status", "in", List.of("a", "b", "c")));
        assertThat(in.predicate()).isEqualTo("p0.i_str_01 IN (?,?,?)");
        assertThat(in.bindings()).containsExactly("a", "b", "c");
        CompiledFilter nin = compile(Filters.or(leaf("amount", "nin", List.of(1, 2)), leaf("amount", "eq", 9)));
        assertThat(nin.predicate()).contains("s.i_int_03 NOT IN (?,?)");
        assertThat(nin.bindings()).containsExactly(1L, 2L, 9L);
    }

    @Test
    void betweenBindsLowThenHigh() {
        CompiledFilter c = compile(leaf("ratio", "between", List.of(0.25, 2)));
        assertThat(c.predicate()).isEqualTo("p0.i_num_01 BETWEEN ? AND ?");
        assertThat(c.bindings()).containsExactly(0.25, 2.0); // bound in the column's type: DOUBLE
    }

    @Test
    void numbersAreBoundInTheColumnsType() {
        assertThat(compile(leaf("amount", "eq", 5.0)).bindings()).containsExactly(5L);
        assertThat(compile(leaf("amount", "gte", -0x1p63)).bindings()).containsExactly(Long.MIN_VALUE);
        assertThat(compile(leaf("ratio", "in", List.of(1, 2.5))).bindings()).containsExactly(1.0, 2.5);
        assertThatThrownBy(() -> compile(leaf("amount", "eq", 5.5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefixEscapesLikeMetacharactersAndAnchorsTheStart() {
        CompiledFilter c = compile(leaf("status", "prefix", "50%_off\\"));
        assertThat(c.predicate()).isEqualTo("p0.i_str_01 LIKE ? ESCAPE '\\\\'");
        assertThat(c.predicate()).endsWith("ESCAPE '" + "\\" + "\\" + "'"); // the SQL text holds two backslashes
        assertThat(c.bindings()).containsExactly("50\\%\\_off\\\\%");
        assertThat(SqlFilterCompiler.likePrefix("plain")).isEqualTo("plain%");
    }

    @Test
    void datetimeValuesAreNormalisedToUtcBeforeBinding() {
        CompiledFilter c = compile(Filters.and(
                leaf("due", "gte", "2024-03-01T10:30:00+02:00"),
                leaf("due", "lt", "2024-03-01T23:59:59.999999Z"),
                leaf("due", "in", List.of("2024-12-31T23:30:00-01:00", "2024-01-01 00:00:00")),
                leaf("due", "between", List.of("2024-02-29T00:00:00Z", "2024-03-01T00:00:00+00:00"))));
        assertThat(c.bindings()).containsExactly("2024-03-01 08:30:00", "2024-03-01 23:59:59",
                "2025-01-01 00:30:00", "2024-01-01 00:00:00", "2024-02-29 00:00:00", "2024-03-01 00:00:00");
    }

    @Test
    void datetimeValuesTakeTheFormsAWriteTakesAndNothingElse() {
        CompiledFilter c = compile(Filters.and(leaf("due", "eq", "2024-03-01"), leaf("due", "eq", "2024-03-01T10:00:00"),
                leaf("due", "eq", "2024-03-01t10:00:00z")));
        assertThat(c.bindings()).containsExactly("2024-03-01 00:00:00", "2024-03-01 10:00:00", "2024-03-01 10:00:00");
        for (String bad : List.of("2024-02-30T00:00:00Z", "2024-03-01T10:00:00+19:00", "next tuesday", "01/03/2024",
                "2024-03-01T10:00", "")) {
            assertThatThrownBy(() -> compile(leaf("due", "eq", bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> compile(leaf("due", "eq", 1_700_000_000L))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifiersAreValidated() {
        for (String table : List.of("entry_slots_page_0", "entry_slots_page_01", "entry_data", "entry_slots_page_1; DROP TABLE x",
                "ENTRY_SLOTS_PAGE_1", "entry_slots_page_1 ")) {
            assertThatThrownBy(() -> new ResolvedColumn(table, "i_str_01", "string")).as(table)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String column : List.of("i_str_1", "i_txt_01", "i_str_001", "fields", "i_str_01 OR 1=1", "s.i_str_01")) {
            assertThatThrownBy(() -> new ResolvedColumn(P1, column, "string")).as(column)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new ResolvedColumn(P1, "i_int_01", "string")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResolvedColumn(P1, "i_num_01", "float")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ResolvedColumn("entry_slots_page_120", "i_dt_10", "datetime").isDatetime()).isTrue();
    }

    @Test
    void anUnresolvedLeafIsAProgrammingError() {
        assertThatThrownBy(() -> compile(leaf("nope", "eq", 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void extensionOperatorsAreNotCompiled() {
        assertThatThrownBy(() -> compile(leaf("status", "fuzzy", "paied"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fuzzy");
    }

    @Test
    void aMapOfLeavesWorksAsTheResolver() {
        LeafNode a = leaf("status", "eq", "x");
        CompiledFilter c = SqlFilterCompiler.compile(a, Map.of(a, FIELDS.get("status"))::get);
        assertThat(c.predicate()).isEqualTo("p0.i_str_01 = ?");
    }

    /** The probe's binding order, to show where the filter's bindings go. */
    private static List<Object> probeBindings(long tenant, long model, long cursor, CompiledFilter c, int pageSize) {
        List<Object> out = new ArrayList<>(List.of(tenant, model, cursor));
        out.addAll(c.bindings());
        out.add((long) pageSize + 1);
        return out;
    }

    private static final String KEY = "LEFT(WEIGHT_STRING(CAST(? AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_0900_ai_ci), 128)";

    private static CompiledFilter compileOnV2(FilterNode f) {
        return SqlFilterCompiler.compile(f, leaf -> new ResolvedColumn(P1, "i_str_01", "string", 2));
    }

    @Test
    void onAV2PageAShortAsciiEqualityIsTheKeyAloneAndALongerOrNonAsciiOneReChecksTheValue() {
        CompiledFilter shortValue = compileOnV2(leaf("status", "eq", "paid"));
        assertThat(shortValue.predicate()).isEqualTo("p0.k_str_01 = " + KEY);
        assertThat(shortValue.bindings()).containsExactly("paid");

        String longValue = "x".repeat(64);
        CompiledFilter longer = compileOnV2(leaf("status", "eq", longValue));
        assertThat(longer.predicate()).isEqualTo("(p0.k_str_01 = " + KEY + " AND p0.i_str_01 = ?)");
        assertThat(longer.bindings()).containsExactly(longValue, longValue);

        assertThat(compileOnV2(leaf("status", "eq", "Straße")).predicate()).endsWith("AND p0.i_str_01 = ?)");
        assertThat(compileOnV2(leaf("status", "in", List.of("a", "b"))).predicate())
                .isEqualTo("p0.k_str_01 IN (" + KEY + "," + KEY + ")");
    }

    @Test
    void onAV2PageRangesAndPrefixesBoundTheKeyAndReCheckTheValueAndNullChecksUseTheKey() {
        CompiledFilter range = compileOnV2(leaf("status", "between", List.of("a", "m")));
        assertThat(range.predicate()).isEqualTo("(p0.k_str_01 BETWEEN " + KEY + " AND " + KEY + " AND p0.i_str_01 BETWEEN ? AND ?)");
        assertThat(range.bindings()).containsExactly("a", "m", "a", "m");
        assertThat(compileOnV2(leaf("status", "gt", "k")).predicate()).isEqualTo("(p0.k_str_01 >= " + KEY + " AND p0.i_str_01 > ?)");
        CompiledFilter prefix = compileOnV2(leaf("status", "prefix", "50%"));
        assertThat(prefix.predicate()).isEqualTo("(p0.k_str_01 BETWEEN " + KEY + " AND CONCAT(" + KEY
                + ", REPEAT(x'FF', 128)) AND p0.i_str_01 LIKE ? ESCAPE '\\\\')");
        assertThat(prefix.bindings()).containsExactly("50%", "50%", "50\\%%");
        assertThat(compileOnV2(leaf("status", "is_null", null)).predicate()).isEqualTo("p0.k_str_01 IS NULL");
        assertThat(compileOnV2(leaf("status", "neq", "x")).predicate()).isEqualTo("p0.i_str_01 <> ?");
        // the same leaf on a v1 page is upstream's SQL
        assertThat(compile(leaf("status", "eq", "paid")).predicate()).isEqualTo("p0.i_str_01 = ?");
    }
}
