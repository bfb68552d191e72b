package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.RenameRewrite;

/**
 * Field renames as a Reconciler work source: one chunk of the engine's {@link RenameRewrite} per tick (the old
 * key's values moved to the new key in SQL, the checkpoint moved in the same transaction), lock conflicts retried
 * within {@code reconcilerLockRetryBudget}. Events after commit: {@code chunk_claimed} and {@code chunk_complete}
 * ({@code queue: 'rename_rewrite'}), or {@code chunk_partial{failed_reason}} when the checkpoint had to be marked
 * {@code failed}.
 */
public final class RenameRewriteSource implements WorkSource {
    static final String QUEUE = "rename_rewrite";

    private final RenameRewrite rewrite;
    private final int chunkSize;
    private final LockRetry retry;
    private final EventLog events;

    RenameRewriteSource(RenameRewrite rewrite, int chunkSize, LockRetry retry, EventLog events) {
        this.rewrite = rewrite;
        this.chunkSize = chunkSize;
        this.retry = retry;
        this.events = events;
    }

    @Override
    public TickOutcome tickOne(String chunkCorrelationId) throws Exception {
        RenameRewrite.Outcome out = retry.run(QUEUE, chunkCorrelationId, () -> rewrite.runChunk(chunkSize));
        if (out instanceof RenameRewrite.Idle) {
            return TickOutcome.IDLE;
        }
        if (out instanceof RenameRewrite.Failed f) {
            events.warning("chunk_partial", "correlation_id", chunkCorrelationId, "queue", QUEUE, "field_id", f.fieldId(),
                    "failed_reason", f.reason());
            return TickOutcome.WORK_DONE;
        }
        RenameRewrite.Done d = (RenameRewrite.Done) out;
        events.info("chunk_claimed", "correlation_id", chunkCorrelationId, "queue", QUEUE, "field_id", d.fieldId(),
                "tenant_id", d.tenantId(), "cursor", d.cursorBefore());
        events.info("chunk_complete", "correlation_id", chunkCorrelationId, "queue", QUEUE, "field_id", d.fieldId(),
                "tenant_id", d.tenantId(), "old_name", d.oldName(), "new_name", d.newName(), "rows_processed", d.rowsScanned(),
                "rows_rewritten", d.rowsRewritten(), "cursor", d.cursor(), "final_chunk", d.finalChunk());
        return TickOutcome.WORK_DONE;
    }
}
