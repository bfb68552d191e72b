package io.stardust.engine.lifecycle;

import java.util.Locale;

/**
 * Which process drives the lifecycle backfills (retype/promotion backfill, rename rewrite, field and model purges):
 * the Reconciler (the default, and the only choice without Kafka) or the Streams app, partitioned by tenant.
 */
public enum BackfillDriver {
    RECONCILER, STREAMS;

    /** {@code reconciler} or {@code streams} (any case, trimmed), else null. */
    static BackfillDriver parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "reconciler" -> RECONCILER;
            case "streams" -> STREAMS;
            default -> null;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
