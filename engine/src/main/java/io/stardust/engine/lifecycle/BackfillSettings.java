package io.stardust.engine.lifecycle;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The backfill options both possible drivers read (declared here once): which process drives lifecycle backfills,
 * and the lease length on a checkpoint row. The process that is not the driver leaves checkpoints alone; the lease
 * still guarantees one driver per checkpoint while a deployment switches over.
 */
public record BackfillSettings(BackfillDriver driver, Duration lease) {

    public static final ConfigOption<String> DRIVER = ConfigOption.string("backfillDriver", "reconciler",
            "Which process drives lifecycle backfills (retype, rename rewrite, purges): reconciler, or streams (the"
                    + " Streams app, partitioned by tenant; needs Kafka and the registry mirror). Give the Reconciler and"
                    + " the Streams app the same value.")
            .withValidator(v -> BackfillDriver.parse(v) == null ? "must be reconciler or streams" : null);
    public static final ConfigOption<Duration> LEASE = ConfigOption.duration("backfillLease",
            CheckpointLease.DEFAULT_LENGTH, "How long a driver's claim on a checkpoint holds without a new chunk; the"
                    + " checkpoint of a driver that died is taken over by another after this.")
            .withValidator(d -> d.isNegative() || d.isZero() ? "must be positive" : null);

    public static final List<ConfigOption<?>> OPTIONS = List.of(DRIVER, LEASE);

    public static final BackfillSettings DEFAULTS = new BackfillSettings(BackfillDriver.RECONCILER,
            CheckpointLease.DEFAULT_LENGTH);

    public BackfillSettings {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(lease, "lease");
    }

    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    public static BackfillSettings from(ConfigValues v) {
        return new BackfillSettings(BackfillDriver.parse(v.get(DRIVER)), v.get(LEASE));
    }

    public BackfillSettings withDriver(BackfillDriver newDriver) {
        return new BackfillSettings(newDriver, lease);
    }

    /** A lease of this length owned by {@code owner}. */
    public CheckpointLease leaseFor(String owner) {
        return new CheckpointLease(owner, lease);
    }
}
