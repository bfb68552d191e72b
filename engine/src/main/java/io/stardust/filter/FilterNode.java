package io.stardust.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of a filter tree: a closed set of four immutable kinds. A null filter, wherever one is
 * accepted, means match-all.
 */
public sealed interface FilterNode permits AndNode, OrNode, NotNode, LeafNode {

    /** Every node of the subtree, this one and the leaves included (the {@code tree_node_count} of events). */
    int nodeCount();

    /** The leaves of the subtree, depth-first, left to right: the order pre-flight and SQL bindings follow. */
    default List<LeafNode> leaves() {
        List<LeafNode> out = new ArrayList<>();
        collectLeaves(this, out);
        return List.copyOf(out);
    }

    private static void collectLeaves(FilterNode node, List<LeafNode> out) {
        // Java 17 has no pattern switch; the interface is sealed, so this chain is exhaustive.
        if (node instanceof LeafNode leaf) {
            out.add(leaf);
        } else if (node instanceof AndNode and) {
            and.args().forEach(a -> collectLeaves(a, out));
        } else if (node instanceof OrNode or) {
            or.args().forEach(a -> collectLeaves(a, out));
        } else {
            collectLeaves(((NotNode) node).arg(), out);
        }
    }
}
