package io.stardust.filter;

import java.util.List;

/** At least one child must match. */
public record OrNode(List<FilterNode> args) implements FilterNode {
    public OrNode {
        args = Composites.checkArgs("or", args);
    }

    public static OrNode of(FilterNode... args) {
        return new OrNode(List.of(args));
    }

    @Override
    public int nodeCount() {
        return Composites.nodeCount(args);
    }
}
