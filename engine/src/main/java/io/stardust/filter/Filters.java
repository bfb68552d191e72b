package io.stardust.filter;

import java.util.List;

/** Building filters in code. */
public final class Filters {
    private Filters() {
    }

    public static AndNode and(FilterNode... args) {
        return new AndNode(List.of(args));
    }

    public static OrNode or(FilterNode... args) {
        return new OrNode(List.of(args));
    }

    public static NotNode not(FilterNode arg) {
        return new NotNode(arg);
    }

    /** A leaf on a field of the request's model, e.g. {@code leaf("industry", "eq", "software")}. */
    public static LeafNode leaf(String fieldName, String operator, Object value) {
        return LeafNode.local(fieldName, operator, value);
    }

    /**
     * The conjunction of a flat list of filters: none → null (match-all), one → that node, more → an AndNode.
     * This is the shape of {@code EntryQuery.fromFlatFilters}.
     */
    public static FilterNode allOf(List<? extends FilterNode> nodes) {
        if (nodes.isEmpty()) {
            return null;
        }
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        return new AndNode(List.copyOf(nodes));
    }

    /** Node count of a possibly null filter; a null filter counts 0. */
    public static int nodeCount(FilterNode filter) {
        return filter == null ? 0 : filter.nodeCount();
    }
}
