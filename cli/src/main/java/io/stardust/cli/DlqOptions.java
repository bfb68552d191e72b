package io.stardust.cli;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigValues;
import io.stardust.config.Durations;
import io.stardust.engine.db.Pools;
import io.stardust.reconciler.DlqFilter;
import io.stardust.reconciler.ReconcilerConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options shared by the DLQ commands: the connection and reconciler options (the Reconciler's own properties file
 * works as {@code --config}), and the row filters.
 */
final class DlqOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass, reconcilerDlqMaxAttempts, ...); STARDUST_* wins.")
    Path configFile;

    @Option(names = "--reason", paramLabel = "REASON",
            description = "Only rows with this reason (missing_entry_data, schema_incompatibility, malformed_json, other).")
    String reason;

    @Option(names = "--tenant", paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Only rows of this tenant.")
    Long tenant;

    @Option(names = "--older-than", paramLabel = "DURATION",
            description = "Only rows that failed longer ago than this: 30s, 15m, 2h, 7d or ISO-8601 (PT2H).")
    String olderThan;

    ConfigValues values() {
        return ReconcilerConfig.deployableDefinition().resolve(configFile);
    }

    static com.zaxxer.hikari.HikariDataSource open(ConfigValues values) {
        StarDustConfig c = StarDustConfig.from(values);
        return Pools.open(c.dsn(), c.user(), c.password(), 2, "stardust-dlq");
    }

    DlqFilter filter(Long id) {
        Duration age = null;
        if (olderThan != null) {
            try {
                age = Durations.parse(olderThan);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--older-than: " + e.getMessage());
            }
            if (age.isNegative()) {
                throw new UsageException("--older-than must not be negative");
            }
        }
        return new DlqFilter(id, reason, tenant, age);
    }
}
