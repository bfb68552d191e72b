package io.stardust.filter;

import java.util.List;

/** Shared checks of the list-carrying composites. */
final class Composites {
    private Composites() {
    }

    static List<FilterNode> checkArgs(String op, List<FilterNode> args) {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException(op + " needs at least one child");
        }
        // List.copyOf also rejects null children.
        return List.copyOf(args);
    }

    static int nodeCount(List<FilterNode> args) {
        int n = 1;
        for (FilterNode a : args) {
            n += a.nodeCount();
        }
        return n;
    }
}
