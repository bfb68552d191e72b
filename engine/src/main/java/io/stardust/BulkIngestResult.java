package io.stardust;

import java.util.List;

/** Per-chunk outcome of a synchronous bulk write, in chunk order. */
public record BulkIngestResult(List<Chunk> chunks, int entriesCommitted) {
    public BulkIngestResult {
        chunks = List.copyOf(chunks);
    }

    /**
     * @param outcome       {@code committed} or {@code rolled_back}
     * @param entryIds      ids in payload order when committed, else empty
     * @param failureReason {@code "<exception class>: <message>"} when rolled back, else null
     */
    public record Chunk(int chunkIndex, int chunkSize, String outcome, List<Long> entryIds, String failureReason) {
        public Chunk {
            entryIds = List.copyOf(entryIds);
        }

        public boolean committed() {
            return "committed".equals(outcome);
        }
    }
}
