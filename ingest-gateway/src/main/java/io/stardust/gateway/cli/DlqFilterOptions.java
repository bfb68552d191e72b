package io.stardust.gateway.cli;

import io.stardust.config.Durations;
import io.stardust.gateway.dlq.DlqFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The row filters shared by {@code ingest:dlq:list} and {@code ingest:dlq:replay}. */
public final class DlqFilterOptions {
    @Option(names = "--id", split = ",", paramLabel = "ID", description = "DLQ row id(s); repeat or comma-separate.")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "CODE", description = "Reason code, e.g. unknown_model, uncoercible_value.")
    String reason;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant id.")
    Long tenant;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Received at least this long ago: 30s, 15m, 2h, 7d.")
    String olderThan;

    boolean any() {
        return !ids.isEmpty() || reason != null || tenant != null || olderThan != null;
    }

    DlqFilter toFilter(Integer maxAttempts, int limit) {
        Duration age = olderThan == null ? null : Durations.parse(olderThan);
        return new DlqFilter(ids, reason, tenant, age, maxAttempts, limit);
    }
}
