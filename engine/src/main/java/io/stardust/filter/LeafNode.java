package io.stardust.filter;

import java.util.Objects;

/**
 * A predicate on one field. One class for every operator: the operator is an open string so drivers can service
 * extension operators; for the twelve v1 operators the value's shape is checked here (no value for presence
 * operators, one scalar for comparisons and {@code prefix}, a non-empty list for {@code in}/{@code nin}, exactly
 * two scalars for {@code between}). Whether the value's <em>type</em> suits the field is pre-flight's business.
 *
 * <p>{@code pointer} is where the leaf sat in a wire document (RFC 6901, e.g. {@code /filter/args/1}), or null
 * for leaves built in code. It is provenance, not meaning: it takes no part in {@link #equals}, so a decoded leaf
 * equals the same leaf built with {@link #local}.
 */
public record LeafNode(String operator, FieldRef field, FilterValue value, String pointer) implements FilterNode {

    public LeafNode {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(field, "field");
        if (operator.isEmpty()) {
            throw new IllegalArgumentException("operator must not be empty");
        }
        checkShape(operator, value);
    }

    /** A leaf without a source position. */
    public LeafNode(String operator, FieldRef field, FilterValue value) {
        this(operator, field, value, null);
    }

    /** A leaf on a field of the request's model; {@code value} is converted by {@link FilterValue#from}. */
    public static LeafNode local(String fieldName, String operator, Object value) {
        return new LeafNode(operator, FieldRef.local(fieldName), FilterValue.from(value));
    }

    /** A presence leaf ({@code is_null} / {@code is_not_null}) on a field of the request's model. */
    public static LeafNode local(String fieldName, String operator) {
        return new LeafNode(operator, FieldRef.local(fieldName), null);
    }

    public static LeafNode of(FieldRef field, String operator, Object value) {
        return new LeafNode(operator, field, FilterValue.from(value));
    }

    /** The same leaf, remembered as coming from {@code pointer} of a wire document. */
    public LeafNode withPointer(String pointer) {
        return new LeafNode(operator, field, value, pointer);
    }

    /**
     * The pointer of a location inside this leaf, for error reports: {@code pointerTo("/value")} gives
     * {@code /filter/args/1/value} for a decoded leaf. Leaves built in code have no position, and report the root
     * pointer {@code ""}.
     */
    public String pointerTo(String suffix) {
        return pointer == null ? "" : pointer + suffix;
    }

    @Override
    public int nodeCount() {
        return 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeafNode other && operator.equals(other.operator) && field.equals(other.field)
                && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operator, field, value);
    }

    private static void checkShape(String op, FilterValue value) {
        if (!Operators.isV1Leaf(op)) {
            return;
        }
        if (Operators.isPresence(op)) {
            if (value != null) {
                throw new IllegalArgumentException(op + " takes no value");
            }
        } else if (Operators.isSingleValue(op)) {
            if (!(value instanceof FilterValue.Scalar)) {
                throw new IllegalArgumentException(op + " takes exactly one scalar value");
            }
            if (Operators.PREFIX.equals(op)
                    && !(value instanceof FilterValue.StringValue s && !s.value().isEmpty())) {
                throw new IllegalArgumentException("prefix takes a non-empty string");
            }
        } else if (Operators.isSet(op)) {
            if (!(value instanceof FilterValue.ListValue l) || l.size() == 0) {
                throw new IllegalArgumentException(op + " takes a non-empty list of scalars");
            }
        } else if (Operators.BETWEEN.equals(op)) {
            if (!(value instanceof FilterValue.ListValue l) || l.size() != 2) {
                throw new IllegalArgumentException("between takes exactly two scalars [low, high]");
            }
        }
    }
}
