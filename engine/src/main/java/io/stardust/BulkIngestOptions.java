package io.stardust;

/** Chunking of a synchronous bulk write: each chunk is one transaction. */
public record BulkIngestOptions(int chunkSize, long interChunkDelayMicros) {
    public static final BulkIngestOptions DEFAULTS = new BulkIngestOptions(500, 0);

    public BulkIngestOptions {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
        if (interChunkDelayMicros < 0) {
            throw new IllegalArgumentException("interChunkDelayMicros must be >= 0, got " + interChunkDelayMicros);
        }
    }
}
