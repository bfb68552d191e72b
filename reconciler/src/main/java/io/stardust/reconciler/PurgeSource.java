package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.PurgeChunk;
import java.util.concurrent.Callable;

/**
 * Field purges ({@code queue: 'field_purge'}) and model purges ({@code queue: 'model_purge'}) as Reconciler work
 * sources: one chunk of the engine's purge per tick, lock conflicts retried within the source's budget; after commit
 * {@code chunk_claimed} and {@code chunk_complete{rows_processed, rows_changed, final_chunk}}.
 */
public final class PurgeSource implements WorkSource {
    private final String queue;
    private final String idKey;
    private final Callable<PurgeChunk> chunk;
    private final LockRetry retry;
    private final EventLog events;

    PurgeSource(String queue, String idKey, Callable<PurgeChunk> chunk, LockRetry retry, EventLog events) {
        this.queue = queue;
        this.idKey = idKey;
        this.chunk = chunk;
        this.retry = retry;
        this.events = events;
    }

    @Override
    public TickOutcome tickOne(String chunkCorrelationId) throws Exception {
        PurgeChunk out = retry.run(queue, chunkCorrelationId, chunk);
        if (!(out instanceof PurgeChunk.Done d)) {
            return TickOutcome.IDLE;
        }
        events.info("chunk_claimed", "correlation_id", chunkCorrelationId, "queue", queue, idKey, d.id(),
                "tenant_id", d.tenantId());
        events.info("chunk_complete", "correlation_id", chunkCorrelationId, "queue", queue, idKey, d.id(),
                "tenant_id", d.tenantId(), "rows_processed", d.rowsProcessed(), "rows_changed", d.rowsChanged(),
                "final_chunk", d.finalChunk());
        return TickOutcome.WORK_DONE;
    }
}
