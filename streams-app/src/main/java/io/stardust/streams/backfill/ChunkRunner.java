package io.stardust.streams.backfill;

/** Runs one chunk of one checkpoint under this instance's lease (the engine's executors; a fake in topology tests). */
interface ChunkRunner {
    ChunkOutcome runChunk(CheckpointState checkpoint) throws Exception;

    /** Gives up this instance's lease on the checkpoint, so the next owner of its tenant takes it over at once. */
    void release(long checkpointId) throws Exception;
}
