package io.stardust.engine.write;

import io.stardust.BulkIngestOptions;
import io.stardust.BulkIngestResult;
import io.stardust.BulkIngestResult.Chunk;
import io.stardust.EntryPayload;
import io.stardust.PayloadTooLargeException;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.PayloadCanonicaliser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Synchronous chunked bulk write: at most 1000 entries, one transaction per chunk, so a failing chunk
 * rolls back alone while earlier and later chunks commit. Crash behaviour: committed chunks stay whole; the chunk
 * in flight is rolled back by InnoDB; nothing is half-written.
 */
public final class BulkIngestor {
    public static final int SYNC_THRESHOLD = 1000;

    private final DataSource ds;
    private final UtcClock clock;
    private final EventLog events = new EventLog("bulk_api");

    public BulkIngestor(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public BulkIngestResult bulkWrite(List<EntryPayload> payloads, BulkIngestOptions options) {
        payloads.forEach(p -> TenantIds.require(p.tenantId()));
        if (payloads.size() > SYNC_THRESHOLD) {
            events.warning("payload_too_large", "entry_count", payloads.size(), "threshold", SYNC_THRESHOLD);
            throw new PayloadTooLargeException(payloads.size() + " entries exceed the synchronous bulk limit of "
                    + SYNC_THRESHOLD + "; use submitBulkWrite (asynchronous import) instead");
        }
        refuseModelsBeingDeleted(payloads);
        List<Chunk> chunks = new ArrayList<>();
        int committed = 0;
        for (int start = 0, index = 0; start < payloads.size(); start += options.chunkSize(), index++) {
            if (index > 0) {
                pause(options.interChunkDelayMicros());
            }
            List<EntryPayload> slice = payloads.subList(start, Math.min(payloads.size(), start + options.chunkSize()));
            Chunk chunk = writeChunk(index, slice);
            chunks.add(chunk);
            if (chunk.committed()) {
                committed += slice.size();
            }
        }
        return new BulkIngestResult(chunks, committed);
    }

    /**
     * A model being deleted refuses the whole call up front, as a single write does, instead of every chunk rolling
     * back; a deletion that starts after this check still rolls back the chunks that reach it.
     */
    private void refuseModelsBeingDeleted(List<EntryPayload> payloads) {
        java.util.Set<Integer> models = new java.util.TreeSet<>();
        payloads.forEach(p -> models.add(p.modelId()));
        Tx.withConnection(ds, c -> {
            for (int modelId : models) {
                PayloadCanonicaliser.requireModelLive(c, modelId);
            }
            return null;
        });
    }

    private Chunk writeChunk(int index, List<EntryPayload> slice) {
        try {
            List<Long> ids = Tx.inTransaction(ds, c -> EntryWriter.writeAll(c, EntryWriter.planAll(c, slice), clock.now()));
            events.info("bulk_chunk_committed", "chunk_index", index, "chunk_size", slice.size(),
                    "entry_id_first", ids.get(0), "entry_id_last", ids.get(ids.size() - 1));
            return new Chunk(index, slice.size(), "committed", ids, null);
        } catch (RuntimeException e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            events.warning("bulk_chunk_rolled_back", "chunk_index", index, "chunk_size", slice.size(), "failure_reason", reason);
            return new Chunk(index, slice.size(), "rolled_back", List.of(), reason);
        }
    }

    private static void pause(long micros) {
        if (micros <= 0) {
            return;
        }
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between bulk chunks", e);
        }
    }
}
