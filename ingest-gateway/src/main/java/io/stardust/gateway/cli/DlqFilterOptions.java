package io.stardust.gateway.cli;

import io.stardust.config.Durations;
import io.stardust.engine.text.CanonicalIds;
import io.stardust.ingest.dlq.DlqFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The row filters shared by {@code ingest:dlq:list} and {@code ingest:dlq:replay}. */
public final class DlqFilterOptions {
    // Ids and counts are read as text and parsed by CanonicalIds, the engine's one rule for numbers typed by people
    // (picocli's own conversion would take "+1", "01" and fullwidth digits).
    @Option(names = "--id", split = ",", paramLabel = "ID", description = "DLQ row id(s); repeat or comma-separate.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "CODE", description = "Reason code, e.g. unknown_model, uncoercible_value.")
    String reason;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant id.")
    String tenant;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Received at least this long ago: 30s, 15m, 2h, 7d.")
    String olderThan;

    boolean any() {
        return !ids.isEmpty() || reason != null || tenant != null || olderThan != null;
    }

    /** The filter; a non-canonical id or count is an {@link IllegalArgumentException} naming the option. */
    DlqFilter toFilter(Integer maxAttempts, String limit) {
        Duration age = olderThan == null ? null : Durations.parse(olderThan);
        List<Long> rowIds = ids.stream().map(id -> CanonicalIds.parse(id, "--id")).toList();
        Long tenantId = tenant == null ? null : CanonicalIds.parse(tenant, "--tenant");
        return new DlqFilter(rowIds, reason, tenantId, age, maxAttempts, count(limit, "--limit"));
    }

    static int count(String text, String option) {
        long n = CanonicalIds.parse(text, option);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be at most " + Integer.MAX_VALUE + ", got " + text);
        }
        return (int) n;
    }
}
