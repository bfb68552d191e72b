package io.stardust.reconciler;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.engine.lifecycle.BackfillSettings;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import java.time.Duration;
import java.util.List;

/**
 * The Reconciler's tuning (names and defaults as upstream) plus the DLQ loop guard's limit
 * (not in upstream). Properties-file keys are the option names; environment variables are {@code STARDUST_} + the
 * name in upper snake case; the environment wins.
 *
 * @param chunkSize             sync-queue rows claimed per transaction
 * @param interChunkDelayMicros pause after a chunk that did work
 * @param capacityWaitMillis    pause after a chunk that stalled for lack of a slot
 * @param dlqMaxAttempts        DLQ replays allowed per entry before replay holds its row back
 * @param lockRetryBudget       retries of a lifecycle chunk that hit a lock-wait timeout or deadlock
 * @param lockRetryDelayMicros  pause before each such retry
 * @param modelPurgeChunkSize   entries hard-deleted per model-purge transaction
 * @param modelPurgeLockRetryBudget lock-error retries of a model-purge chunk
 * @param importLeaseTimeoutSeconds heartbeat age after which a processing import job is re-claimed
 */
public record ReconcilerConfig(int chunkSize, long interChunkDelayMicros, long capacityWaitMillis, int dlqMaxAttempts,
                               int lockRetryBudget, long lockRetryDelayMicros, int modelPurgeChunkSize,
                               int modelPurgeLockRetryBudget, int importLeaseTimeoutSeconds) {

    public static final ConfigOption<Integer> CHUNK_SIZE = ConfigOption.integer("reconcilerChunkSize", 500,
            "Sync-queue rows claimed (SELECT ... FOR UPDATE SKIP LOCKED) and reconciled per transaction.").atLeast(1);
    public static final ConfigOption<Long> INTER_CHUNK_DELAY_MICROS = ConfigOption.longInt(
            "reconcilerInterChunkDelayMicros", 0,
            "Pause after a chunk that did work, in microseconds (0 = claim the next chunk at once).").atLeast(0);
    public static final ConfigOption<Long> CAPACITY_WAIT_MILLIS = ConfigOption.longInt("reconcilerCapacityWaitMillis",
            5000, "Pause after a chunk rolled back because an entry's field has no live slot and none could be "
                    + "reserved (capacity_wait), in milliseconds.").atLeast(0);
    public static final ConfigOption<Integer> DLQ_MAX_ATTEMPTS = ConfigOption.integer("reconcilerDlqMaxAttempts", 5,
            "Loop guard of reconciler:dlq:replay: how many times one entry may be replayed from the DLQ. A DLQ row "
                    + "whose retry_count (replays so far) reached it is reported and left in the DLQ instead of being "
                    + "re-enqueued. Not in upstream StarDust.").atLeast(1);

    public static final ConfigOption<Integer> LOCK_RETRY_BUDGET = ConfigOption.integer("reconcilerLockRetryBudget", 3,
            "Retries of a retype-backfill chunk that hit MySQL error 1205 (lock wait timeout) or 1213 (deadlock) before "
                    + "the error ends the tick (deadlock_retry per retry).").atLeast(0);
    public static final ConfigOption<Long> LOCK_RETRY_DELAY_MICROS = ConfigOption.longInt("reconcilerLockRetryDelayMicros",
            0, "Pause before each lock-error retry, in microseconds.").atLeast(0);

    public static final ConfigOption<Integer> MODEL_PURGE_CHUNK_SIZE = ConfigOption.integer("modelPurgeChunkSize", 200,
            "Entries of a deleted model hard-deleted per transaction by the model purge.").atLeast(1);
    public static final ConfigOption<Integer> MODEL_PURGE_LOCK_RETRY_BUDGET = ConfigOption.integer(
            "modelPurgeLockRetryBudget", 3, "Retries of a model-purge chunk that hit MySQL error 1205 or 1213 before "
                    + "the error ends the tick.").atLeast(0);

    public static final ConfigOption<Integer> IMPORT_LEASE_TIMEOUT_SECONDS = ConfigOption.integer(
            "reconcilerImportLeaseTimeoutSeconds", 30, "Seconds without a heartbeat after which a processing import job "
                    + "is considered abandoned and re-claimed by another worker (claimed_at kept).").atLeast(1);

    public static final List<ConfigOption<?>> OPTIONS = List.of(CHUNK_SIZE, INTER_CHUNK_DELAY_MICROS,
            CAPACITY_WAIT_MILLIS, DLQ_MAX_ATTEMPTS, LOCK_RETRY_BUDGET, LOCK_RETRY_DELAY_MICROS, MODEL_PURGE_CHUNK_SIZE,
            MODEL_PURGE_LOCK_RETRY_BUDGET, IMPORT_LEASE_TIMEOUT_SECONDS);

    public ReconcilerConfig {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("reconcilerChunkSize must be at least 1, was " + chunkSize);
        }
        if (interChunkDelayMicros < 0 || capacityWaitMillis < 0) {
            throw new IllegalArgumentException("reconciler delays must not be negative");
        }
        if (dlqMaxAttempts < 1) {
            throw new IllegalArgumentException("reconcilerDlqMaxAttempts must be at least 1, was " + dlqMaxAttempts);
        }
        if (modelPurgeChunkSize < 1 || modelPurgeLockRetryBudget < 0) {
            throw new IllegalArgumentException("modelPurgeChunkSize must be at least 1 and modelPurgeLockRetryBudget not negative");
        }
        if (lockRetryBudget < 0 || lockRetryDelayMicros < 0) {
            throw new IllegalArgumentException("reconcilerLockRetryBudget and reconcilerLockRetryDelayMicros must not be negative");
        }
    }

    /** This module's options only (the documentation table). */
    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    /** Everything {@code bin/stardust reconciler} reads: connection, shared daemon options, these. */
    public static ConfigDef deployableDefinition() {
        return ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS, OPTIONS, BackfillSettings.OPTIONS);
    }

    public static ReconcilerConfig from(ConfigValues v) {
        return new ReconcilerConfig(v.get(CHUNK_SIZE), v.get(INTER_CHUNK_DELAY_MICROS), v.get(CAPACITY_WAIT_MILLIS),
                v.get(DLQ_MAX_ATTEMPTS), v.get(LOCK_RETRY_BUDGET), v.get(LOCK_RETRY_DELAY_MICROS),
                v.get(MODEL_PURGE_CHUNK_SIZE), v.get(MODEL_PURGE_LOCK_RETRY_BUDGET), v.get(IMPORT_LEASE_TIMEOUT_SECONDS));
    }

    public static ReconcilerConfig defaults() {
        return new ReconcilerConfig(CHUNK_SIZE.defaultValue(), INTER_CHUNK_DELAY_MICROS.defaultValue(),
                CAPACITY_WAIT_MILLIS.defaultValue(), DLQ_MAX_ATTEMPTS.defaultValue(), LOCK_RETRY_BUDGET.defaultValue(),
                LOCK_RETRY_DELAY_MICROS.defaultValue(), MODEL_PURGE_CHUNK_SIZE.defaultValue(),
                MODEL_PURGE_LOCK_RETRY_BUDGET.defaultValue(), IMPORT_LEASE_TIMEOUT_SECONDS.defaultValue());
    }

    public ReconcilerConfig withChunkSize(int size) {
        return new ReconcilerConfig(size, interChunkDelayMicros, capacityWaitMillis, dlqMaxAttempts, lockRetryBudget,
                lockRetryDelayMicros, modelPurgeChunkSize, modelPurgeLockRetryBudget,
                importLeaseTimeoutSeconds);
    }

    public ReconcilerConfig withInterChunkDelayMicros(long micros) {
        return new ReconcilerConfig(chunkSize, micros, capacityWaitMillis, dlqMaxAttempts, lockRetryBudget,
                lockRetryDelayMicros, modelPurgeChunkSize, modelPurgeLockRetryBudget,
                importLeaseTimeoutSeconds);
    }

    public ReconcilerConfig withDlqMaxAttempts(int attempts) {
        return new ReconcilerConfig(chunkSize, interChunkDelayMicros, capacityWaitMillis, attempts, lockRetryBudget,
                lockRetryDelayMicros, modelPurgeChunkSize, modelPurgeLockRetryBudget,
                importLeaseTimeoutSeconds);
    }

    public Duration interChunkDelay() {
        return Duration.ofNanos(Math.multiplyExact(interChunkDelayMicros, 1000L));
    }

    public ReconcilerConfig withLockRetryBudget(int budget) {
        return new ReconcilerConfig(chunkSize, interChunkDelayMicros, capacityWaitMillis, dlqMaxAttempts, budget,
                lockRetryDelayMicros, modelPurgeChunkSize, modelPurgeLockRetryBudget,
                importLeaseTimeoutSeconds);
    }

    public ReconcilerConfig withModelPurgeChunkSize(int size) {
        return new ReconcilerConfig(chunkSize, interChunkDelayMicros, capacityWaitMillis, dlqMaxAttempts, lockRetryBudget,
                lockRetryDelayMicros, size, modelPurgeLockRetryBudget,
                importLeaseTimeoutSeconds);
    }

    public Duration lockRetryDelay() {
        return Duration.ofNanos(Math.multiplyExact(lockRetryDelayMicros, 1000L));
    }

    public Duration capacityWait() {
        return Duration.ofMillis(capacityWaitMillis);
    }
}
