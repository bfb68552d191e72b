package io.stardust.streams.backfill;

/** How one chunk attempt on one checkpoint ended, whichever executor ran it. */
record ChunkOutcome(Kind kind, int rowsProcessed, String reason) {

    enum Kind {
        /** A chunk committed and moved the checkpoint; more follow. */
        PROGRESSED,
        /** The last chunk committed: the checkpoint is completed (or deleted, for a purge). */
        COMPLETED,
        /** The checkpoint cannot proceed and is now {@code failed} with {@code reason}. */
        FAILED,
        /** A retype waits for an indexed slot of its target family (the Watcher provisions one). */
        CAPACITY_WAIT,
        /** Not claimable by us now: another driver holds its lease, or it is no longer running. */
        NOT_CLAIMED
    }

    static ChunkOutcome progressed(int rows, boolean last) {
        return new ChunkOutcome(last ? Kind.COMPLETED : Kind.PROGRESSED, rows, null);
    }

    static ChunkOutcome of(Kind kind) {
        return new ChunkOutcome(kind, 0, null);
    }

    static ChunkOutcome failed(String reason) {
        return new ChunkOutcome(Kind.FAILED, 0, reason);
    }

    /** True when the checkpoint needs no more chunks from anyone. */
    boolean finished() {
        return kind == Kind.COMPLETED || kind == Kind.FAILED;
    }
}
