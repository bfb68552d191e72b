package io.stardust.engine.search;

import java.util.List;
import java.util.Objects;

/**
 * A filter compiled for the paginated probe.
 *
 * @param joins     {@code INNER JOIN …} clauses to put after {@code FROM entry_data}, separated by single spaces;
 *                  empty for the {@code exists} strategy and for a null filter
 * @param predicate a condition to AND into the probe's WHERE after the base predicates; empty for a null filter
 * @param bindings  the values of the predicate's placeholders, in order: they go between the cursor id and the
 *                  limit in the probe's bindings
 * @param strategy  {@link #JOINS} or {@link #EXISTS}, reported as {@code compile_strategy} of {@code search_request}
 */
public record CompiledFilter(String joins, String predicate, List<Object> bindings, String strategy) {
    public static final String JOINS = "joins";
    public static final String EXISTS = "exists";

    /** The compilation of a null filter: no joins, no predicate, no bindings. */
    public static final CompiledFilter MATCH_ALL = new CompiledFilter("", "", List.of(), JOINS);

    public CompiledFilter {
        Objects.requireNonNull(joins, "joins");
        Objects.requireNonNull(predicate, "predicate");
        bindings = List.copyOf(bindings);
        if (!JOINS.equals(strategy) && !EXISTS.equals(strategy)) {
            throw new IllegalArgumentException("unknown compile strategy: " + strategy);
        }
    }

    public boolean hasPredicate() {
        return !predicate.isEmpty();
    }
}
