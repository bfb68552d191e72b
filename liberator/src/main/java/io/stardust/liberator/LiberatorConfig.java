package io.stardust.liberator;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import java.time.Duration;
import java.util.List;

/**
 * The Liberator's tuning, names and defaults as upstream. Properties-file keys are the option
 * names; the environment variable is {@code STARDUST_} + the name in upper snake case
 * ({@code STARDUST_LIBERATOR_CHUNK_SIZE}); the environment wins.
 *
 * @param idleIntervalSeconds   sleep after a tick that found no tombstoned slot
 * @param batchSize             tombstoned slots loaded per tick
 * @param chunkSize             page rows nulled per transaction
 * @param interChunkDelayMicros pause between chunks (and before retrying a deadlocked chunk)
 * @param deadlockRetryBudget   consecutive deadlocks of one chunk before it is recorded as a sweep gap
 */
public record LiberatorConfig(int idleIntervalSeconds, int batchSize, int chunkSize, long interChunkDelayMicros,
                              int deadlockRetryBudget) {

    public static final ConfigOption<Integer> IDLE_INTERVAL_SECONDS = ConfigOption.integer(
            "liberatorIdleIntervalSeconds", 10,
            "Seconds the Liberator sleeps after a tick that found no tombstoned slot.").atLeast(0);
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOption.integer("liberatorBatchSize", 50,
            "Tombstoned slots loaded per tick (oldest tombstone first), swept one after the other.").atLeast(1);
    public static final ConfigOption<Integer> CHUNK_SIZE = ConfigOption.integer("liberatorChunkSize", 500,
            "Page rows nulled per transaction; the sweep cursor is committed with each chunk.").atLeast(1);
    public static final ConfigOption<Long> INTER_CHUNK_DELAY_MICROS = ConfigOption.longInt(
            "liberatorInterChunkDelayMicros", 0,
            "Pause between two chunks of a sweep, and before retrying a deadlocked chunk, in microseconds.").atLeast(0);
    public static final ConfigOption<Integer> DEADLOCK_RETRY_BUDGET = ConfigOption.integer(
            "liberatorDeadlockRetryBudget", 3,
            "Consecutive lock conflicts (deadlock or lock wait timeout) of one chunk after which the chunk's id range "
                    + "is skipped and recorded as a sweep gap (sweep_gap_count + 1, sweep_gap_flagged).").atLeast(1);

    public static final List<ConfigOption<?>> OPTIONS = List.of(IDLE_INTERVAL_SECONDS, BATCH_SIZE, CHUNK_SIZE,
            INTER_CHUNK_DELAY_MICROS, DEADLOCK_RETRY_BUDGET);

    /** As upstream: the ≥ 1 checks are made when the Liberator is built, as illegal-argument errors. */
    public LiberatorConfig {
        requireAtLeast("liberatorIdleIntervalSeconds", idleIntervalSeconds, 0);
        requireAtLeast("liberatorBatchSize", batchSize, 1);
        requireAtLeast("liberatorChunkSize", chunkSize, 1);
        requireAtLeast("liberatorInterChunkDelayMicros", interChunkDelayMicros, 0);
        requireAtLeast("liberatorDeadlockRetryBudget", deadlockRetryBudget, 1);
    }

    /** This module's options only (the documentation table). */
    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    /** Everything {@code bin/stardust liberator} reads: connection, shared daemon options, these. */
    public static ConfigDef deployableDefinition() {
        return ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS, OPTIONS);
    }

    public static LiberatorConfig from(ConfigValues v) {
        return new LiberatorConfig(v.get(IDLE_INTERVAL_SECONDS), v.get(BATCH_SIZE), v.get(CHUNK_SIZE),
                v.get(INTER_CHUNK_DELAY_MICROS), v.get(DEADLOCK_RETRY_BUDGET));
    }

    public static LiberatorConfig defaults() {
        return new LiberatorConfig(IDLE_INTERVAL_SECONDS.defaultValue(), BATCH_SIZE.defaultValue(),
                CHUNK_SIZE.defaultValue(), INTER_CHUNK_DELAY_MICROS.defaultValue(),
                DEADLOCK_RETRY_BUDGET.defaultValue());
    }

    public LiberatorConfig withChunkSize(int size) {
        return new LiberatorConfig(idleIntervalSeconds, batchSize, size, interChunkDelayMicros, deadlockRetryBudget);
    }

    public LiberatorConfig withBatchSize(int size) {
        return new LiberatorConfig(idleIntervalSeconds, size, chunkSize, interChunkDelayMicros, deadlockRetryBudget);
    }

    public LiberatorConfig withInterChunkDelayMicros(long micros) {
        return new LiberatorConfig(idleIntervalSeconds, batchSize, chunkSize, micros, deadlockRetryBudget);
    }

    public LiberatorConfig withDeadlockRetryBudget(int budget) {
        return new LiberatorConfig(idleIntervalSeconds, batchSize, chunkSize, interChunkDelayMicros, budget);
    }

    public Duration interChunkDelay() {
        return Duration.ofNanos(Math.multiplyExact(interChunkDelayMicros, 1000L));
    }

    public Duration idleInterval() {
        return Duration.ofSeconds(idleIntervalSeconds);
    }

    private static void requireAtLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }
}
