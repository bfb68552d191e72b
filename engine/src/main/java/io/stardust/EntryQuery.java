package io.stardust;

import java.util.List;

/**
 * A read of one model: optional filter (null matches all), optional projection (null means every registered field),
 * a page size in [1, 1000] (default 100), an optional cursor from the previous page, and the order
 * ({@link SortSpec}; entry id ascending by default).
 */
public record EntryQuery(long tenantId, int modelId, io.stardust.filter.FilterNode filter, List<String> selectFields,
                         int pageSize, String cursor, SortSpec sort) {
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;

    public EntryQuery {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new PageSizeOutOfRangeException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
        }
        selectFields = selectFields == null ? null : List.copyOf(selectFields);
        sort = sort == null ? SortSpec.byId() : sort;
    }

    /** In entry-id order. */
    public EntryQuery(long tenantId, int modelId, io.stardust.filter.FilterNode filter, List<String> selectFields,
                      int pageSize, String cursor) {
        this(tenantId, modelId, filter, selectFields, pageSize, cursor, SortSpec.byId());
    }

    public static EntryQuery all(long tenantId, int modelId) {
        return new EntryQuery(tenantId, modelId, null, null, DEFAULT_PAGE_SIZE, null);
    }

    /** A query whose filter is the conjunction of the given filters: none matches all, one is used as is. */
    public static EntryQuery fromFlatFilters(long tenantId, int modelId, List<? extends io.stardust.filter.FilterNode> filters) {
        return all(tenantId, modelId).withFilter(io.stardust.filter.Filters.allOf(filters));
    }

    public EntryQuery withPageSize(int size) {
        return new EntryQuery(tenantId, modelId, filter, selectFields, size, cursor, sort);
    }

    public EntryQuery withCursor(String next) {
        return new EntryQuery(tenantId, modelId, filter, selectFields, pageSize, next, sort);
    }

    public EntryQuery withFilter(io.stardust.filter.FilterNode f) {
        return new EntryQuery(tenantId, modelId, f, selectFields, pageSize, cursor, sort);
    }

    public EntryQuery withSelect(List<String> fields) {
        return new EntryQuery(tenantId, modelId, filter, fields, pageSize, cursor, sort);
    }

    public EntryQuery withSort(SortSpec order) {
        return new EntryQuery(tenantId, modelId, filter, selectFields, pageSize, cursor, order);
    }
}
