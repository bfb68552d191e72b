package io.stardust;

import java.util.Objects;

/**
 * A search: the read to run plus the correlation id that ties its events together ({@code cache_miss},
 * {@code pre_flight_rejected}, {@code search_request}). An empty correlation id asks the engine to allocate a
 * UUIDv4; drivers always receive the allocated one.
 */
public record SearchRequest(EntryQuery query, String correlationId) {
    public SearchRequest {
        Objects.requireNonNull(query, "query");
        correlationId = correlationId == null ? "" : correlationId;
    }

    public static SearchRequest of(EntryQuery query) {
        return new SearchRequest(query, "");
    }

    public long tenantId() {
        return query.tenantId();
    }

    public int modelId() {
        return query.modelId();
    }

    public SearchRequest withCorrelationId(String id) {
        return new SearchRequest(query, id);
    }
}
