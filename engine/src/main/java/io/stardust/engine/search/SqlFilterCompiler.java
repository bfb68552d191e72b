package io.stardust.engine.search;

import io.stardust.engine.slot.PageLayout;
import io.stardust.filter.AndNode;
import io.stardust.filter.FilterNode;
import io.stardust.filter.FilterValue;
import io.stardust.filter.LeafNode;
import io.stardust.filter.NotNode;
import io.stardust.filter.Operators;
import io.stardust.filter.OrNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Compiles a resolved filter into the SQL fragments of the paginated probe. Pure: no connection, no
 * registry. Two shapes:
 * <ul>
 *   <li>{@code joins} for a null filter or a tree of only And and leaves (at any nesting): one INNER JOIN per
 *       distinct page, in first-appearance order, aliased {@code p0, p1, …}, and the leaf predicates ANDed on
 *       {@code pK.<slot>}. This is the shape MySQL turns into range scans on the {@code (tenant_id, slot)}
 *       indexes.</li>
 *   <li>{@code exists} as soon as an Or or Not appears anywhere: every leaf becomes its own correlated
 *       {@code EXISTS} subquery on its page, so Or and Not combine whole-entry facts. The tenant predicate is
 *       replayed in every subquery.</li>
 * </ul>
 * In both shapes a leaf never matches an entry without a row on its page, and SQL's three-valued logic makes
 * {@code neq}/{@code nin} skip NULLs, while {@code not(eq x)} (a NOT EXISTS) matches them.
 *
 * <p>Identifiers come only from {@link ResolvedColumn}, which validates them; values are always bound.
 */
public final class SqlFilterCompiler {
    private static final String ENTRY = "entry_data";
    /** The weight string of a bound value under the page tables' collation, whatever the connection's. */
    private static final String WEIGHT_OF_BOUND =
            "WEIGHT_STRING(CAST(? AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_0900_ai_ci)";
    /** A bound value's v2 key: what {@code k_str_NN} holds for it. */
    private static final String KEY_OF_BOUND = "LEFT(" + WEIGHT_OF_BOUND + ", " + PageLayout.KEY_BYTES + ")";

    private SqlFilterCompiler() {
    }

    /**
     * @param filter  the filter, or null for match-all
     * @param columns where each leaf's field lives; pre-flight guarantees every leaf resolves, so a leaf mapped to
     *                null is a programming error (IllegalStateException). {@code map::get} works.
     * @throws IllegalArgumentException for an operator outside the v1 set, or a datetime value that is not
     *                                  RFC 3339
     */
    public static CompiledFilter compile(FilterNode filter, Function<? super LeafNode, ResolvedColumn> columns) {
        if (filter == null) {
            return CompiledFilter.MATCH_ALL;
        }
        return isPureAnd(filter) ? joins(filter, columns) : exists(filter, columns);
    }

    /** The strategy {@link #compile} picks for the filter, without compiling it. */
    public static String strategyOf(FilterNode filter) {
        return filter == null || isPureAnd(filter) ? CompiledFilter.JOINS : CompiledFilter.EXISTS;
    }

    private static boolean isPureAnd(FilterNode node) {
        if (node instanceof LeafNode) {
            return true;
        }
        if (node instanceof AndNode and) {
            return and.args().stream().allMatch(SqlFilterCompiler::isPureAnd);
        }
        return false;
    }

    private static CompiledFilter joins(FilterNode filter, Function<? super LeafNode, ResolvedColumn> columns) {
        Map<String, String> aliasByTable = new LinkedHashMap<>();
        StringJoiner predicate = new StringJoiner(" AND ");
        List<Object> bindings = new ArrayList<>();
        for (LeafNode leaf : filter.leaves()) {
            ResolvedColumn column = resolve(leaf, columns);
            String alias = aliasByTable.computeIfAbsent(column.pageTable(), t -> "p" + aliasByTable.size());
            predicate.add(leafPredicate(alias, leaf, column, bindings));
        }
        StringJoiner joins = new StringJoiner(" ");
        aliasByTable.forEach((table, alias) -> joins.add("INNER JOIN " + table + " " + alias
                + " ON " + alias + ".entry_id = " + ENTRY + ".id AND " + alias + ".tenant_id = " + ENTRY + ".tenant_id"));
        return new CompiledFilter(joins.toString(), predicate.toString(), bindings, CompiledFilter.JOINS);
    }

    private static CompiledFilter exists(FilterNode filter, Function<? super LeafNode, ResolvedColumn> columns) {
        List<Object> bindings = new ArrayList<>();
        String predicate = existsPredicate(filter, columns, bindings);
        return new CompiledFilter("", predicate, bindings, CompiledFilter.EXISTS);
    }

    private static String existsPredicate(FilterNode node, Function<? super LeafNode, ResolvedColumn> columns,
                                          List<Object> bindings) {
        if (node instanceof AndNode and) {
            return group(and.args(), " AND ", columns, bindings);
        }
        if (node instanceof OrNode or) {
            return group(or.args(), " OR ", columns, bindings);
        }
        if (node instanceof NotNode not) {
            return "NOT ( " + existsPredicate(not.arg(), columns, bindings) + " )";
        }
        LeafNode leaf = (LeafNode) node;
        ResolvedColumn column = resolve(leaf, columns);
        // Every subquery can use the alias s: siblings never nest inside one another.
        return "EXISTS (SELECT 1 FROM " + column.pageTable() + " s WHERE s.tenant_id = " + ENTRY + ".tenant_id"
                + " AND s.entry_id = " + ENTRY + ".id AND " + leafPredicate("s", leaf, column, bindings) + ")";
    }

    private static String group(List<FilterNode> args, String connective,
                                Function<? super LeafNode, ResolvedColumn> columns, List<Object> bindings) {
        StringJoiner out = new StringJoiner(connective, "( ", " )");
        for (FilterNode arg : args) {
            out.add(existsPredicate(arg, columns, bindings));
        }
        return out.toString();
    }

    private static ResolvedColumn resolve(LeafNode leaf, Function<? super LeafNode, ResolvedColumn> columns) {
        ResolvedColumn column = columns.apply(leaf);
        if (column == null) {
            throw new IllegalStateException("leaf on field '" + leaf.field().fieldName()
                    + "' has no resolved page and slot; pre-flight must resolve every leaf before compilation");
        }
        return column;
    }

    /** The predicate of one leaf on its column of the page aliased {@code alias}; appends its values to {@code bindings}. */
    private static String leafPredicate(String alias, LeafNode leaf, ResolvedColumn column, List<Object> bindings) {
        String c = alias + "." + column.slotColumn();
        if (column.hasKey()) {
            String keyed = keyedPredicate(c, alias + "." + PageLayout.keyColumn(column.slotColumn()), leaf, column, bindings);
            if (keyed != null) {
                return keyed;
            }
        }
        String op = leaf.operator();
        switch (op) {
            case Operators.EQ:
                return single(c + " = ?", leaf, column, bindings);
            case Operators.NEQ:
                return single(c + " <> ?", leaf, column, bindings);
            case Operators.LT:
                return single(c + " < ?", leaf, column, bindings);
            case Operators.LTE:
                return single(c + " <= ?", leaf, column, bindings);
            case Operators.GT:
                return single(c + " > ?", leaf, column, bindings);
            case Operators.GTE:
                return single(c + " >= ?", leaf, column, bindings);
            case Operators.PREFIX:
                bindings.add(likePrefix(bindable(scalar(leaf), column).toString()));
                // SQL text ESCAPE '\\' is the one-character string "\" under the default sql_mode.
                return c + " LIKE ? ESCAPE '\\\\'";
            case Operators.IN:
                return c + " IN (" + bindList(leaf, column, bindings) + ")";
            case Operators.NIN:
                return c + " NOT IN (" + bindList(leaf, column, bindings) + ")";
            case Operators.BETWEEN:
                bindList(leaf, column, bindings);
                return c + " BETWEEN ? AND ?";
            case Operators.IS_NULL:
                return c + " IS NULL";
            case Operators.IS_NOT_NULL:
                return c + " IS NOT NULL";
            default:
                throw new IllegalArgumentException("the MySQL driver does not support operator '" + op + "'");
        }
    }

    /**
     * A string leaf on a v2 page, through the slot's weight-string key {@code k} (see {@code PageLayout}): the key
     * condition selects index entries and implies nothing false, the value condition {@code c} keeps exactness. For
     * equality the value is re-checked only when the filter value's weight string does not fit in the key (for a
     * shorter one, equal keys mean equal values); MySQL folds that constant test away, so a short value's probe is a
     * covering scan of one key in entry-id order. Null checks are exact on the key ({@code WEIGHT_STRING} is NULL
     * only for NULL). Returns null for operators no key helps ({@code neq}, {@code nin}).
     */
    private static String keyedPredicate(String c, String k, LeafNode leaf, ResolvedColumn column, List<Object> bindings) {
        switch (leaf.operator()) {
            case Operators.EQ: {
                Object v = bindable(scalar(leaf), column);
                bindings.add(v);
                if (keyIsExact(v.toString())) {
                    return k + " = " + KEY_OF_BOUND;
                }
                bindings.add(v);
                return "(" + k + " = " + KEY_OF_BOUND + " AND " + c + " = ?)";
            }
            case Operators.LT:
            case Operators.LTE:
            case Operators.GT:
            case Operators.GTE: {
                Object v = bindable(scalar(leaf), column);
                bindings.add(v);
                bindings.add(v);
                String keyOp = leaf.operator().startsWith("l") ? " <= " : " >= ";
                String op = switch (leaf.operator()) {
                    case Operators.LT -> " < ";
                    case Operators.LTE -> " <= ";
                    case Operators.GT -> " > ";
                    default -> " >= ";
                };
                return "(" + k + keyOp + KEY_OF_BOUND + " AND " + c + op + "?)";
            }
            case Operators.BETWEEN: {
                List<Object> ends = new ArrayList<>();
                bindList(leaf, column, ends);
                bindings.addAll(ends);
                bindings.addAll(ends);
                return "(" + k + " BETWEEN " + KEY_OF_BOUND + " AND " + KEY_OF_BOUND + " AND " + c + " BETWEEN ? AND ?)";
            }
            case Operators.IN: {
                List<Object> values = new ArrayList<>();
                String placeholders = bindList(leaf, column, values);
                bindings.addAll(values);
                StringJoiner keys = new StringJoiner(",");
                values.forEach(v -> keys.add(KEY_OF_BOUND));
                if (values.stream().allMatch(v -> keyIsExact(v.toString()))) {
                    return k + " IN (" + keys + ")";
                }
                bindings.addAll(values);
                return "(" + k + " IN (" + keys + ") AND " + c + " IN (" + placeholders + "))";
            }
            case Operators.PREFIX: {
                // Every value that starts with the prefix has a weight string that starts with the prefix's, so its
                // key lies between that and the same followed by the highest bytes.
                String prefix = bindable(scalar(leaf), column).toString();
                bindings.add(prefix);
                bindings.add(prefix);
                bindings.add(likePrefix(prefix));
                return "(" + k + " BETWEEN " + KEY_OF_BOUND + " AND CONCAT(" + KEY_OF_BOUND + ", REPEAT(x'FF', "
                        + PageLayout.KEY_BYTES + ")) AND " + c + " LIKE ? ESCAPE '\\\\')";
            }
            case Operators.IS_NULL:
                return k + " IS NULL";
            case Operators.IS_NOT_NULL:
                return k + " IS NOT NULL";
            default:
                return null;
        }
    }

    /**
     * Whether equal keys imply equal values for this filter value: its weight string is shorter than the key, so a
     * stored value with the same key has that whole weight string, hence is equal under the collation. Decided
     * conservatively without asking MySQL: printable ASCII has one primary weight (two bytes) per character under
     * {@code utf8mb4_0900_ai_ci}, control characters none; other characters can expand to several weights.
     */
    static boolean keyIsExact(String value) {
        if (value.length() * 2 >= PageLayout.KEY_BYTES) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static String single(String sql, LeafNode leaf, ResolvedColumn column, List<Object> bindings) {
        bindings.add(bindable(scalar(leaf), column));
        return sql;
    }

    private static String bindList(LeafNode leaf, ResolvedColumn column, List<Object> bindings) {
        StringJoiner placeholders = new StringJoiner(",");
        for (FilterValue.Scalar v : ((FilterValue.ListValue) leaf.value()).values()) {
            bindings.add(bindable(v, column));
            placeholders.add("?");
        }
        return placeholders.toString();
    }

    private static FilterValue.Scalar scalar(LeafNode leaf) {
        return (FilterValue.Scalar) leaf.value();
    }

    /**
     * The JDBC value for a filter value, in the column's own type so MySQL compares like with like:
     * <ul>
     *   <li>datetime: normalised to UTC {@code yyyy-MM-dd HH:mm:ss} (quirk Q18 fixed);</li>
     *   <li>int (BIGINT): a Long, also for an integral float such as {@code 5.0}, which pre-flight admits as the
     *       integer it denotes. Bound as a double it would be compared as a double, so near ±2^63 and beyond 2^53
     *       neighbouring integers would compare equal (or not) depending on how MySQL converts the literal;</li>
     *   <li>numeric (DOUBLE): a Double, also for an integer, so the comparison is the double comparison the column
     *       implies whatever the literal's type;</li>
     *   <li>otherwise the value as received (String, Boolean).</li>
     * </ul>
     */
    private static Object bindable(FilterValue.Scalar v, ResolvedColumn column) {
        if (column.isDatetime()) {
            if (!(v instanceof FilterValue.StringValue s)) {
                throw new IllegalArgumentException("a datetime filter value must be an RFC 3339 string, got " + v);
            }
            return FilterDatetimes.toUtcSql(s.value());
        }
        if (column.declaredType().equals("int") && v instanceof FilterValue.FloatValue f) {
            double d = f.value();
            if (d != Math.rint(d) || d >= 0x1p63 || d < -0x1p63) {
                throw new IllegalArgumentException("an int filter value must be integral and within int64, got " + d);
            }
            return (long) d;
        }
        if (column.declaredType().equals("numeric") && v instanceof FilterValue.IntegerValue i) {
            return (double) i.value();
        }
        return v.toJava();
    }

    /** Escapes LIKE's metacharacters with {@code \} and anchors the pattern at the start: {@code 50%_off\} → {@code 50\%\_off\\%}. */
    static String likePrefix(String prefix) {
        StringBuilder out = new StringBuilder(prefix.length() + 8);
        for (int i = 0; i < prefix.length(); i++) {
            char ch = prefix.charAt(i);
            if (ch == '\\' || ch == '%' || ch == '_') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.append('%').toString();
    }
}
