package io.stardust.filter;

import java.util.List;

/** All children must match. */
public record AndNode(List<FilterNode> args) implements FilterNode {
    public AndNode {
        args = Composites.checkArgs("and", args);
    }

    public static AndNode of(FilterNode... args) {
        return new AndNode(List.of(args));
    }

    @Override
    public int nodeCount() {
        return Composites.nodeCount(args);
    }
}
