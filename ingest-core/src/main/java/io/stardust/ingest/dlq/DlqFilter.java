package io.stardust.ingest.dlq;

import java.time.Duration;
import java.util.List;

/**
 * Which DLQ rows an operator command addresses. Empty/null members do not filter.
 *
 * @param ids         exact row ids
 * @param reason      reason code
 * @param tenantId    tenant id (rows whose tenant could not be read have none)
 * @param olderThan   received at least this long ago
 * @param maxAttempts only rows tried fewer times than this (replay's attempt limit); null = any
 * @param limit       at most this many rows, oldest first
 */
public record DlqFilter(List<Long> ids, String reason, Long tenantId, Duration olderThan, Integer maxAttempts, int limit) {
    public DlqFilter {
        ids = ids == null ? List.of() : List.copyOf(ids);
    }

    public static DlqFilter all(int limit) {
        return new DlqFilter(List.of(), null, null, null, null, limit);
    }
}
