package io.stardust.filter;

import java.util.List;
import java.util.Set;

/**
 * The closed v1 operator vocabulary: twelve leaf operators and three composites. A {@link LeafNode}
 * keeps its operator as an open string so a custom driver can accept extension operators; these constants name the
 * set every driver is expected to understand and the wire decoder accepts.
 */
public final class Operators {
    public static final String EQ = "eq";
    public static final String NEQ = "neq";
    public static final String LT = "lt";
    public static final String LTE = "lte";
    public static final String GT = "gt";
    public static final String GTE = "gte";
    public static final String PREFIX = "prefix";
    public static final String IN = "in";
    public static final String NIN = "nin";
    public static final String BETWEEN = "between";
    public static final String IS_NULL = "is_null";
    public static final String IS_NOT_NULL = "is_not_null";

    public static final String AND = "and";
    public static final String OR = "or";
    public static final String NOT = "not";

    /** The twelve v1 leaf operators, in the order the spec lists them. */
    public static final List<String> LEAF_OPERATORS =
            List.of(EQ, NEQ, LT, LTE, GT, GTE, PREFIX, IN, NIN, BETWEEN, IS_NULL, IS_NOT_NULL);

    public static final List<String> COMPOSITE_OPERATORS = List.of(AND, OR, NOT);

    private static final Set<String> LEAVES = Set.copyOf(LEAF_OPERATORS);
    private static final Set<String> SINGLE_VALUE = Set.of(EQ, NEQ, LT, LTE, GT, GTE, PREFIX);

    private Operators() {
    }

    public static boolean isV1Leaf(String op) {
        return LEAVES.contains(op);
    }

    /** {@code is_null} / {@code is_not_null}: the leaf carries no value. */
    public static boolean isPresence(String op) {
        return IS_NULL.equals(op) || IS_NOT_NULL.equals(op);
    }

    /** Comparison operators and {@code prefix}: the leaf carries exactly one scalar. */
    public static boolean isSingleValue(String op) {
        return SINGLE_VALUE.contains(op);
    }

    /** {@code in} / {@code nin}: the leaf carries a non-empty list of scalars. */
    public static boolean isSet(String op) {
        return IN.equals(op) || NIN.equals(op);
    }
}
