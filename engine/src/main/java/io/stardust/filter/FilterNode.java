package io.stardust.filter;

/** Placeholder until the filter AST lands; replaced by the search feature. */
public interface FilterNode {
}
