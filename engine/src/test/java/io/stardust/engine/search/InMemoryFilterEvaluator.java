package io.stardust.engine.search;

import io.stardust.filter.AndNode;
import io.stardust.filter.FilterNode;
import io.stardust.filter.FilterValue;
import io.stardust.filter.LeafNode;
import io.stardust.filter.NotNode;
import io.stardust.filter.Operators;
import io.stardust.filter.OrNode;
import java.text.Normalizer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The reference semantics of a compiled filter, evaluated in memory, for differential tests against MySQL.
 *
 * <p>What it models: every leaf, whichever strategy compiles it (INNER JOIN or EXISTS), holds for
 * an entry iff the entry has a row on the field's page <em>and</em> the SQL predicate is TRUE on it; UNKNOWN (a NULL
 * slot) counts as not matching. Leaves are therefore two-valued and And/Or/Not are plain boolean logic on top. Hence
 * {@code neq}/{@code nin} never match NULL, {@code is_null} never matches an entry without a page row, and
 * {@code not(eq x)} matches both.
 *
 * <p>String comparison approximates {@code utf8mb4_0900_ai_ci}: case- and accent-insensitive, NO PAD (trailing
 * spaces count), punctuation and spaces significant. {@link java.text.Collator} at PRIMARY strength is not used
 * because it ignores spaces and hyphens ("a" = "a " = "a-"), which MySQL does not. Instead both sides are folded
 * (upper- then lower-cased, so ß→ss; decomposed; combining marks dropped) and compared by code point. Equality
 * matches MySQL for Latin text; ordering matches for letters, digits and spaces, but ASCII symbols such as
 * {@code : ; @ [ _ { ~} sort by code point rather than UCA's "all punctuation before digits" — keep {@code lt}/
 * {@code gt} test data alphanumeric. Ligatures and expansions MySQL knows (æ = ae) are not modelled. {@code prefix}
 * compares character by character like MySQL's LIKE does, so 's%' does not match 'ß'.
 *
 * <p>Numbers compare as the engine binds them, in the column's type: an int column exactly with the integer
 * the value denotes (an integral float included), a numeric column as doubles.
 */
public final class InMemoryFilterEvaluator {
    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final Map<String, String> declaredTypes;

    /** @param declaredTypes field name → {@code string | int | numeric | datetime} */
    public InMemoryFilterEvaluator(Map<String, String> declaredTypes) {
        this.declaredTypes = Map.copyOf(declaredTypes);
    }

    /**
     * The slot values of one entry.
     *
     * @param values          field name → slot value as the column holds it (String, Long/Integer, Double, or for
     *                        datetime a LocalDateTime or {@code yyyy-MM-dd HH:mm:ss}); a missing key or a null is
     *                        SQL NULL in an existing row
     * @param withoutPageRow  fields whose page has no row for this entry
     */
    public record EntrySlots(Map<String, Object> values, Set<String> withoutPageRow) {
        public EntrySlots {
            values = java.util.Collections.unmodifiableMap(new HashMap<>(values));
            withoutPageRow = Set.copyOf(withoutPageRow);
        }

        /** An entry with a page row for every field. */
        public static EntrySlots of(Map<String, Object> values) {
            return new EntrySlots(values, Set.of());
        }

        /** An entry with no page row for the given fields (and the values of the others). */
        public static EntrySlots missingRows(Map<String, Object> values, String... fields) {
            return new EntrySlots(values, Set.of(fields));
        }
    }

    /** A null filter matches every entry. */
    public boolean matches(FilterNode filter, EntrySlots entry) {
        return filter == null || eval(filter, entry);
    }

    private boolean eval(FilterNode node, EntrySlots entry) {
        if (node instanceof AndNode and) {
            return and.args().stream().allMatch(a -> eval(a, entry));
        }
        if (node instanceof OrNode or) {
            return or.args().stream().anyMatch(a -> eval(a, entry));
        }
        if (node instanceof NotNode not) {
            return !eval(not.arg(), entry);
        }
        return leaf((LeafNode) node, entry);
    }

    private boolean leaf(LeafNode leaf, EntrySlots entry) {
        String field = leaf.field().fieldName();
        String type = declaredTypes.get(field);
        if (type == null) {
            throw new IllegalArgumentException("no declared type for field " + field);
        }
        if (entry.withoutPageRow().contains(field)) {
            return false; // INNER JOIN drops the entry; EXISTS finds no row
        }
        Object slot = entry.values().get(field);
        String op = leaf.operator();
        if (op.equals(Operators.IS_NULL)) {
            return slot == null;
        }
        if (op.equals(Operators.IS_NOT_NULL)) {
            return slot != null;
        }
        if (slot == null) {
            return false; // any comparison with NULL is UNKNOWN, including <> and NOT IN
        }
        switch (op) {
            case Operators.EQ:
                return compare(type, slot, scalar(leaf)) == 0;
            case Operators.NEQ:
                return compare(type, slot, scalar(leaf)) != 0;
            case Operators.LT:
                return compare(type, slot, scalar(leaf)) < 0;
            case Operators.LTE:
                return compare(type, slot, scalar(leaf)) <= 0;
            case Operators.GT:
                return compare(type, slot, scalar(leaf)) > 0;
            case Operators.GTE:
                return compare(type, slot, scalar(leaf)) >= 0;
            case Operators.PREFIX:
                return startsWith(type, slot, scalar(leaf));
            case Operators.IN:
                return list(leaf).stream().anyMatch(v -> compare(type, slot, v) == 0);
            case Operators.NIN:
                return list(leaf).stream().noneMatch(v -> compare(type, slot, v) == 0);
            case Operators.BETWEEN: {
                List<FilterValue.Scalar> range = list(leaf);
                return compare(type, slot, range.get(0)) >= 0 && compare(type, slot, range.get(1)) <= 0;
            }
            default:
                throw new IllegalArgumentException("unsupported operator " + op);
        }
    }

    private static FilterValue.Scalar scalar(LeafNode leaf) {
        return (FilterValue.Scalar) leaf.value();
    }

    private static List<FilterValue.Scalar> list(LeafNode leaf) {
        return ((FilterValue.ListValue) leaf.value()).values();
    }

    /** Compares a non-null slot value with a filter value under the column's type: negative, zero or positive. */
    private static int compare(String type, Object slot, FilterValue.Scalar value) {
        switch (type) {
            case "string":
                return compareFolded(fold((String) slot), fold(text(value)));
            case "int":
            case "numeric":
                return compareNumbers(type, (Number) slot, value);
            case "datetime":
                return storedDatetime(slot).compareTo(filterDatetime(value));
            default:
                throw new IllegalArgumentException("unknown declared type " + type);
        }
    }

    private static int compareNumbers(String type, Number slot, FilterValue.Scalar value) {
        if (type.equals("int")) {
            // The engine binds int filter values as Long (an integral float as the integer it denotes): exact.
            long right;
            if (value instanceof FilterValue.IntegerValue i) {
                right = i.value();
            } else if (value instanceof FilterValue.FloatValue f && f.value() == Math.rint(f.value())) {
                right = (long) f.value();
            } else {
                throw new IllegalArgumentException("an int column compared with " + value);
            }
            return Long.compare(slot.longValue(), right);
        }
        // numeric: the engine binds a Double, so both sides are doubles.
        double right;
        if (value instanceof FilterValue.IntegerValue i) {
            right = i.value();
        } else if (value instanceof FilterValue.FloatValue f) {
            right = f.value();
        } else {
            throw new IllegalArgumentException("a numeric column compared with " + value);
        }
        double left = slot.doubleValue();
        // Primitive comparison, not Double.compare: SQL has -0.0 = 0.0.
        return left < right ? -1 : (left > right ? 1 : 0);
    }

    private static boolean startsWith(String type, Object slot, FilterValue.Scalar value) {
        if (!type.equals("string") && !type.equals("datetime")) {
            // Pre-flight only lets a string value through on string and datetime fields.
            throw new IllegalArgumentException("prefix on a " + type + " field");
        }
        String subject = type.equals("datetime") ? STORED.format(storedDatetime(slot)) : slot.toString();
        String prefix = type.equals("datetime") ? FilterDatetimes.toUtcSql(text(value)) : text(value);
        int[] s = subject.codePoints().toArray();
        int[] p = prefix.codePoints().toArray();
        if (s.length < p.length) {
            return false;
        }
        if (type.equals("datetime")) {
            return subject.startsWith(prefix); // MySQL renders the DATETIME as text for LIKE
        }
        for (int i = 0; i < p.length; i++) {
            if (!fold(Character.toString(s[i])).equals(fold(Character.toString(p[i])))) {
                return false;
            }
        }
        return true;
    }

    private static String text(FilterValue.Scalar value) {
        if (value instanceof FilterValue.StringValue s) {
            return s.value();
        }
        throw new IllegalArgumentException("a string or datetime column compared with " + value);
    }

    private static LocalDateTime storedDatetime(Object slot) {
        if (slot instanceof LocalDateTime t) {
            return t;
        }
        return LocalDateTime.parse(slot.toString(), STORED);
    }

    private static LocalDateTime filterDatetime(FilterValue.Scalar value) {
        return LocalDateTime.parse(FilterDatetimes.toUtcSql(text(value)), STORED);
    }

    /** Case- and accent-insensitive form: upper then lower (ß→ss), NFD, combining marks dropped. */
    static String fold(String s) {
        String cased = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        String decomposed = Normalizer.normalize(cased, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static int compareFolded(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length); // NO PAD: "a" < "a "
    }
}
