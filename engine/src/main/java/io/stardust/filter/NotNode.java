package io.stardust.filter;

import java.util.Objects;

/**
 * The child must not match. Note the three-valued consequence the SQL keeps: {@code not(eq x)} also matches
 * entries whose value is NULL or that have no row on the field's page, whereas {@code neq x} matches neither.
 */
public record NotNode(FilterNode arg) implements FilterNode {
    public NotNode {
        Objects.requireNonNull(arg, "not needs a child");
    }

    @Override
    public int nodeCount() {
        return 1 + arg.nodeCount();
    }
}
