package io.stardust.engine.lifecycle;

/** How one purge chunk (field or model) ended. */
public sealed interface PurgeChunk {

    record Idle() implements PurgeChunk {
    }

    /** {@code id} is the field id (field purge) or the model id (model purge). */
    record Done(long id, long tenantId, int rowsProcessed, int rowsChanged, boolean finalChunk) implements PurgeChunk {
    }
}
