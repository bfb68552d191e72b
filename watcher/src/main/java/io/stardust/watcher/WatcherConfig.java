package io.stardust.watcher;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import java.util.List;

/**
 * The Watcher's tuning, names and defaults as upstream. Properties-file keys are the
 * option names; environment variables are {@code STARDUST_} + the name in upper snake case
 * ({@code STARDUST_WATCHER_POLL_INTERVAL_SECONDS}); the environment wins.
 *
 * @param cardinalityJitterSeconds the advisory timer's jitter; upstream's default is 10 % of the interval
 */
public record WatcherConfig(int pollIntervalSeconds, double capacityThreshold, int provisionLockTimeoutSeconds,
                            long cardinalityIntervalSeconds, double cardinalitySelectivityThreshold,
                            long cardinalityRowFloor, long cardinalityDistinctFloor, long cardinalityJitterSeconds,
                            int spreadExcessPageThreshold) {

    /** The advisory lock around provisioning (a fixed constant). */
    public static final String PROVISION_LOCK = io.stardust.engine.slot.PageProvisioner.LOCK_NAME;

    public static final ConfigOption<Integer> POLL_INTERVAL_SECONDS = ConfigOption.integer(
            "watcherPollIntervalSeconds", 60, "Seconds between two Watcher polls (capacity check, provisioning, "
                    + "advisory timer).").atLeast(0);
    public static final ConfigOption<Double> CAPACITY_THRESHOLD = ConfigOption.decimal("watcherCapacityThreshold",
            0.20, "Provision a page when the global free-slot ratio is strictly below this fraction (0..1). A "
                    + "starved slot family provisions regardless, even at 0.").between(0, 1);
    public static final ConfigOption<Integer> PROVISION_LOCK_TIMEOUT_SECONDS = ConfigOption.integer(
            "watcherProvisionLockTimeoutSeconds", 10, "Seconds to wait for GET_LOCK('stardust_page_provision') "
                    + "before reporting lock_contention instead of provisioning.").atLeast(0);
    public static final ConfigOption<Long> CARDINALITY_INTERVAL_SECONDS = ConfigOption.longInt(
            "cardinalityIntervalSeconds", 86_400, "Seconds between two advisory samples (cardinality of every "
                    + "assigned/ready slot, spread of every model); 0 samples on every poll after the first.")
            .atLeast(0);
    public static final ConfigOption<Double> CARDINALITY_SELECTIVITY_THRESHOLD = ConfigOption.decimal(
            "cardinalitySelectivityThreshold", 0.01, "A slot whose distinct/rows ratio is below this (with at least "
                    + "cardinalityRowFloor rows) is reported as low_cardinality_index (selectivity).").between(0, 1);
    public static final ConfigOption<Long> CARDINALITY_ROW_FLOOR = ConfigOption.longInt("cardinalityRowFloor", 10_000,
            "Rows a tenant needs on a page before the selectivity check applies.").atLeast(0);
    public static final ConfigOption<Long> CARDINALITY_DISTINCT_FLOOR = ConfigOption.longInt(
            "cardinalityDistinctFloor", 10, "A slot with fewer distinct values than this is reported as "
                    + "low_cardinality_index (distinct_floor).").atLeast(0);
    public static final ConfigOption<Long> CARDINALITY_JITTER_SECONDS = ConfigOption.longInt(
            "cardinalityJitterSeconds", -1, "Random spread (+/- seconds) of each advisory sample time, so a fleet "
                    + "does not sample at once; -1 means 10 % of cardinalityIntervalSeconds (8640 by default).")
            .atLeast(-1);
    public static final ConfigOption<Integer> SPREAD_EXCESS_PAGE_THRESHOLD = ConfigOption.integer(
            "spreadExcessPageThreshold", 2, "A model on two or more pages whose pages exceed the theoretical "
                    + "minimum by at least this many is reported as high_spread_model.").atLeast(0);

    public static final List<ConfigOption<?>> OPTIONS = List.of(POLL_INTERVAL_SECONDS, CAPACITY_THRESHOLD,
            PROVISION_LOCK_TIMEOUT_SECONDS, CARDINALITY_INTERVAL_SECONDS, CARDINALITY_SELECTIVITY_THRESHOLD,
            CARDINALITY_ROW_FLOOR, CARDINALITY_DISTINCT_FLOOR, CARDINALITY_JITTER_SECONDS,
            SPREAD_EXCESS_PAGE_THRESHOLD);

    public WatcherConfig {
        if (capacityThreshold < 0 || capacityThreshold > 1) {
            throw new IllegalArgumentException("watcherCapacityThreshold must be within 0..1, was " + capacityThreshold);
        }
        if (pollIntervalSeconds < 0 || provisionLockTimeoutSeconds < 0 || cardinalityIntervalSeconds < 0) {
            throw new IllegalArgumentException("Watcher intervals and timeouts must not be negative");
        }
    }

    /** This module's options only (the documentation table). */
    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    /** Everything {@code bin/stardust watcher} reads: connection, shared daemon options, these. */
    public static ConfigDef deployableDefinition() {
        return ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS, OPTIONS);
    }

    public static WatcherConfig from(ConfigValues v) {
        return new WatcherConfig(v.get(POLL_INTERVAL_SECONDS), v.get(CAPACITY_THRESHOLD),
                v.get(PROVISION_LOCK_TIMEOUT_SECONDS), v.get(CARDINALITY_INTERVAL_SECONDS),
                v.get(CARDINALITY_SELECTIVITY_THRESHOLD), v.get(CARDINALITY_ROW_FLOOR),
                v.get(CARDINALITY_DISTINCT_FLOOR), v.get(CARDINALITY_JITTER_SECONDS),
                v.get(SPREAD_EXCESS_PAGE_THRESHOLD));
    }

    public static WatcherConfig defaults() {
        return from(definition().resolve(new java.util.Properties(), java.util.Map.of()));
    }

    public WatcherConfig withCapacityThreshold(double threshold) {
        return new WatcherConfig(pollIntervalSeconds, threshold, provisionLockTimeoutSeconds, cardinalityIntervalSeconds,
                cardinalitySelectivityThreshold, cardinalityRowFloor, cardinalityDistinctFloor, cardinalityJitterSeconds,
                spreadExcessPageThreshold);
    }

    public WatcherConfig withProvisionLockTimeoutSeconds(int seconds) {
        return new WatcherConfig(pollIntervalSeconds, capacityThreshold, seconds, cardinalityIntervalSeconds,
                cardinalitySelectivityThreshold, cardinalityRowFloor, cardinalityDistinctFloor, cardinalityJitterSeconds,
                spreadExcessPageThreshold);
    }

    public WatcherConfig withCardinality(long intervalSeconds, long jitterSeconds) {
        return new WatcherConfig(pollIntervalSeconds, capacityThreshold, provisionLockTimeoutSeconds, intervalSeconds,
                cardinalitySelectivityThreshold, cardinalityRowFloor, cardinalityDistinctFloor, jitterSeconds,
                spreadExcessPageThreshold);
    }

    public WatcherConfig withCardinalityFloors(double selectivity, long rowFloor, long distinctFloor) {
        return new WatcherConfig(pollIntervalSeconds, capacityThreshold, provisionLockTimeoutSeconds,
                cardinalityIntervalSeconds, selectivity, rowFloor, distinctFloor, cardinalityJitterSeconds,
                spreadExcessPageThreshold);
    }

    /** The jitter in effect: the configured value, or 10 % of the interval (rounded) when not configured. */
    public long effectiveJitterSeconds() {
        return cardinalityJitterSeconds >= 0 ? cardinalityJitterSeconds : Math.round(cardinalityIntervalSeconds * 0.10);
    }
}
