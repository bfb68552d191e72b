package io.stardust.engine.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Who drives a lifecycle checkpoint, and how long its claim on the row ({@code claimed_by}, {@code lease_until})
 * holds without a new chunk. Every chunk renews the lease in the transaction that moves the checkpoint; a checkpoint
 * whose lease is held by another owner is not claimable until the lease expires, so one checkpoint is driven by one
 * process at a time (a Reconciler and a Streams app never both move it) and a dead driver's checkpoint is taken
 * over after {@code length}.
 */
public record CheckpointLease(String owner, Duration length) {
    /** The default lease length: long enough for a slow chunk, short enough for a quick takeover after a crash. */
    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(30);

    /**
     * This JVM, as a lease owner ({@code pid-<pid>-<random>}): every driver in one process shares it, so a process
     * continues any checkpoint it holds with whichever executor instance; a restarted process is a new owner.
     */
    public static final String PROCESS = "pid-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8);

    public CheckpointLease {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank() || owner.length() > 128) {
            throw new IllegalArgumentException("lease owner must be 1-128 characters, was '" + owner + "'");
        }
        if (length == null || length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("lease length must be positive, was " + length);
        }
    }

    /** A lease owned by this process ({@link #PROCESS}), of the default length. */
    public static CheckpointLease ofThisProcess() {
        return new CheckpointLease(PROCESS, DEFAULT_LENGTH);
    }
}
