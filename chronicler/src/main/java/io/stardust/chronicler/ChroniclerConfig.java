package io.stardust.chronicler;

import io.stardust.EntryQuery;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Chronicler's tuning, names and defaults as upstream (plus {@code chroniclerDiskProbeBytes} from upstream's
 * later releases). Properties-file keys are the option names; the environment variable is {@code STARDUST_} + the
 * name in upper snake case; the environment wins.
 *
 * @param backoffSeconds the waits before each reconnect attempt after a lost connection
 */
public record ChroniclerConfig(int idleIntervalSeconds, int leaseTimeoutSeconds, int pageSize,
                               long interChunkDelayMicros, int deadlockRetryBudget, int skipCountCap,
                               long artifactSizeCapBytes, long artifactTtlSeconds, long orphanedPartialTtlSeconds,
                               double lowDiskThresholdPct, List<Integer> backoffSeconds, int diskProbeBytes) {

    public static final ConfigOption<Integer> IDLE_INTERVAL_SECONDS = ConfigOption.integer(
            "chroniclerIdleIntervalSeconds", 10, "Seconds a Chronicler sleeps after a tick that found no job.").atLeast(0);
    public static final ConfigOption<Integer> LEASE_TIMEOUT_SECONDS = ConfigOption.integer(
            "chroniclerLeaseTimeoutSeconds", 30,
            "A processing job whose heartbeat is older than this is taken over by another worker, which resumes its "
                    + "artifact in place.").atLeast(1);
    public static final ConfigOption<Integer> PAGE_SIZE = ConfigOption.integer("chroniclerPageSize", 500,
            "Entries per chunk: one search page, written and committed (cursor, heartbeat) together.")
            .between(1, EntryQuery.MAX_PAGE_SIZE);
    public static final ConfigOption<Long> INTER_CHUNK_DELAY_MICROS = ConfigOption.longInt(
            "chroniclerInterChunkDelayMicros", 0, "Pause between two chunks, and before retrying a deadlocked read, "
                    + "in microseconds.").atLeast(0);
    public static final ConfigOption<Integer> DEADLOCK_RETRY_BUDGET = ConfigOption.integer(
            "chroniclerDeadlockRetryBudget", 3, "Consecutive lock conflicts of one chunk's read after which its "
                    + "range (cursor, cursor + chroniclerPageSize] is skipped and charged to skip_count.").atLeast(1);
    public static final ConfigOption<Integer> SKIP_COUNT_CAP = ConfigOption.integer("chroniclerSkipCountCap", 1000,
            "Skipped entries after which a job fails with excessive_skips.").atLeast(0);
    public static final ConfigOption<Long> ARTIFACT_SIZE_CAP_BYTES = ConfigOption.longInt(
            "chroniclerArtifactSizeCapBytes", 5L * 1024 * 1024 * 1024,
            "Artifact size (as written, compressed or not) beyond which a job fails with artifact_size_exceeded.")
            .atLeast(1);
    public static final ConfigOption<Long> ARTIFACT_TTL_SECONDS = ConfigOption.longInt("chroniclerArtifactTtlSeconds",
            86_400, "Seconds after completion when the garbage collector deletes a completed export's file.").atLeast(0);
    public static final ConfigOption<Long> ORPHANED_PARTIAL_TTL_SECONDS = ConfigOption.longInt(
            "chroniclerOrphanedPartialTtlSeconds", 3_600,
            "Seconds after failure when the garbage collector deletes what is left of a failed export's file.")
            .atLeast(0);
    public static final ConfigOption<Double> LOW_DISK_THRESHOLD_PCT = ConfigOption.decimal(
            "chroniclerLowDiskThresholdPct", 0.10, "Free fraction (0..1) of the artifact directory's file system "
                    + "below which no job is claimed (low_disk, then only garbage collection).").atLeast(0);
    public static final ConfigOption<String> DB_DISCONNECT_BACKOFF_SECONDS = ConfigOption.string(
            "chroniclerDbDisconnectBackoffSeconds", "1,4,16",
            "Comma-separated waits in seconds before each retry of a chunk read that lost its connection; when they "
                    + "are used up the job fails with query_failure.").withValidator(ChroniclerConfig::backoffError);
    public static final ConfigOption<Integer> DISK_PROBE_BYTES = ConfigOption.integer("chroniclerDiskProbeBytes",
            65_536, "Bytes written (and deleted) in the artifact directory before a claim; a failed write skips the "
                    + "claim as low disk does. 0 disables the probe.").atLeast(0);

    public static final List<ConfigOption<?>> OPTIONS = List.of(IDLE_INTERVAL_SECONDS, LEASE_TIMEOUT_SECONDS, PAGE_SIZE,
            INTER_CHUNK_DELAY_MICROS, DEADLOCK_RETRY_BUDGET, SKIP_COUNT_CAP, ARTIFACT_SIZE_CAP_BYTES,
            ARTIFACT_TTL_SECONDS, ORPHANED_PARTIAL_TTL_SECONDS, LOW_DISK_THRESHOLD_PCT, DB_DISCONNECT_BACKOFF_SECONDS,
            DISK_PROBE_BYTES);

    public ChroniclerConfig {
        if (pageSize < 1 || pageSize > EntryQuery.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("chroniclerPageSize must be between 1 and " + EntryQuery.MAX_PAGE_SIZE
                    + ", was " + pageSize);
        }
        backoffSeconds = List.copyOf(backoffSeconds);
    }

    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    /** Everything {@code bin/stardust chronicler} reads: connection, shared daemon options, these. */
    public static ConfigDef deployableDefinition() {
        return ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS, OPTIONS);
    }

    public static ChroniclerConfig from(ConfigValues v) {
        return new ChroniclerConfig(v.get(IDLE_INTERVAL_SECONDS), v.get(LEASE_TIMEOUT_SECONDS), v.get(PAGE_SIZE),
                v.get(INTER_CHUNK_DELAY_MICROS), v.get(DEADLOCK_RETRY_BUDGET), v.get(SKIP_COUNT_CAP),
                v.get(ARTIFACT_SIZE_CAP_BYTES), v.get(ARTIFACT_TTL_SECONDS), v.get(ORPHANED_PARTIAL_TTL_SECONDS),
                v.get(LOW_DISK_THRESHOLD_PCT), parseBackoff(v.get(DB_DISCONNECT_BACKOFF_SECONDS)),
                v.get(DISK_PROBE_BYTES));
    }

    public static ChroniclerConfig defaults() {
        return new ChroniclerConfig(10, 30, 500, 0, 3, 1000, 5L * 1024 * 1024 * 1024, 86_400, 3_600, 0.10,
                List.of(1, 4, 16), 65_536);
    }

    public ChroniclerConfig withPageSize(int size) {
        return new ChroniclerConfig(idleIntervalSeconds, leaseTimeoutSeconds, size, interChunkDelayMicros,
                deadlockRetryBudget, skipCountCap, artifactSizeCapBytes, artifactTtlSeconds, orphanedPartialTtlSeconds,
                lowDiskThresholdPct, backoffSeconds, diskProbeBytes);
    }

    public ChroniclerConfig withSkipCountCap(int cap) {
        return new ChroniclerConfig(idleIntervalSeconds, leaseTimeoutSeconds, pageSize, interChunkDelayMicros,
                deadlockRetryBudget, cap, artifactSizeCapBytes, artifactTtlSeconds, orphanedPartialTtlSeconds,
                lowDiskThresholdPct, backoffSeconds, diskProbeBytes);
    }

    public ChroniclerConfig withArtifactSizeCapBytes(long cap) {
        return new ChroniclerConfig(idleIntervalSeconds, leaseTimeoutSeconds, pageSize, interChunkDelayMicros,
                deadlockRetryBudget, skipCountCap, cap, artifactTtlSeconds, orphanedPartialTtlSeconds,
                lowDiskThresholdPct, backoffSeconds, diskProbeBytes);
    }

    public ChroniclerConfig withTtls(long artifactTtl, long orphanedPartialTtl) {
        return new ChroniclerConfig(idleIntervalSeconds, leaseTimeoutSeconds, pageSize, interChunkDelayMicros,
                deadlockRetryBudget, skipCountCap, artifactSizeCapBytes, artifactTtl, orphanedPartialTtl,
                lowDiskThresholdPct, backoffSeconds, diskProbeBytes);
    }

    public ChroniclerConfig withLowDiskThresholdPct(double pct) {
        return new ChroniclerConfig(idleIntervalSeconds, leaseTimeoutSeconds, pageSize, interChunkDelayMicros,
                deadlockRetryBudget, skipCountCap, artifactSizeCapBytes, artifactTtlSeconds, orphanedPartialTtlSeconds,
                pct, backoffSeconds, diskProbeBytes);
    }

    public ChroniclerConfig withBackoffSeconds(List<Integer> waits) {
        return new ChroniclerConfig(idleIntervalSeconds, leaseTimeoutSeconds, pageSize, interChunkDelayMicros,
                deadlockRetryBudget, skipCountCap, artifactSizeCapBytes, artifactTtlSeconds, orphanedPartialTtlSeconds,
                lowDiskThresholdPct, waits, diskProbeBytes);
    }

    public ChroniclerConfig withLeaseTimeoutSeconds(int seconds) {
        return new ChroniclerConfig(idleIntervalSeconds, seconds, pageSize, interChunkDelayMicros,
                deadlockRetryBudget, skipCountCap, artifactSizeCapBytes, artifactTtlSeconds, orphanedPartialTtlSeconds,
                lowDiskThresholdPct, backoffSeconds, diskProbeBytes);
    }

    public Duration interChunkDelay() {
        return Duration.ofNanos(Math.multiplyExact(interChunkDelayMicros, 1000L));
    }

    static List<Integer> parseBackoff(String text) {
        String error = backoffError(text);
        if (error != null) {
            throw new IllegalArgumentException("chroniclerDbDisconnectBackoffSeconds " + error);
        }
        List<Integer> out = new ArrayList<>();
        if (!text.isBlank()) {
            for (String part : text.split(",")) {
                out.add(Integer.parseInt(part.trim()));
            }
        }
        return out;
    }

    private static String backoffError(String text) {
        if (text.isBlank()) {
            return null; // no retry: the first lost connection fails the job
        }
        for (String part : text.split(",")) {
            try {
                if (Integer.parseInt(part.trim()) < 0) {
                    return "must list non-negative seconds, got " + part.trim();
                }
            } catch (NumberFormatException e) {
                return "must be comma-separated whole seconds (e.g. 1,4,16), got '" + part.trim() + "'";
            }
        }
        return null;
    }
}
