package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.RetypeBackfill;
import io.stardust.engine.lifecycle.RetypeChunk;

/**
 * The retype/promotion/relocation backfill as a Reconciler work source: one chunk of the engine's
 * {@link RetypeBackfill} per tick (claim with {@code SKIP LOCKED}, field and tenant re-read at processing time, one
 * transaction that moves the checkpoint with the slot values), lock conflicts retried within
 * {@code reconcilerLockRetryBudget}.
 *
 * <p>Outcomes: {@code WORK_DONE} after a chunk ({@code chunk_claimed}, one {@code coercion_null} per value that did
 * not convert, {@code chunk_complete}) or after marking a checkpoint that cannot proceed {@code failed}
 * ({@code chunk_partial} with {@code failed_reason}; the daemon carries on, Q16); {@code CAPACITY_WAIT} when every
 * claimable checkpoint waits for an indexed slot ({@code capacity_wait} per waiting field; a waiting checkpoint never
 * blocks one that can run, Q17); {@code IDLE} otherwise. All events are logged after the chunk's commit.
 */
public final class RetypeBackfillSource implements WorkSource {
    static final String QUEUE = "retype_backfill";

    private final RetypeBackfill backfill;
    private final int chunkSize;
    private final LockRetry retry;
    private final EventLog events;

    RetypeBackfillSource(RetypeBackfill backfill, int chunkSize, LockRetry retry, EventLog events) {
        this.backfill = backfill;
        this.chunkSize = chunkSize;
        this.retry = retry;
        this.events = events;
    }

    @Override
    public TickOutcome tickOne(String chunkCorrelationId) throws Exception {
        RetypeChunk result = retry.run(QUEUE, chunkCorrelationId, () -> backfill.runChunk(chunkSize));
        if (result instanceof RetypeChunk.Idle) {
            return TickOutcome.IDLE;
        }
        if (result instanceof RetypeChunk.CapacityWait w) {
            w.waiting().forEach(x -> events.info("capacity_wait", "correlation_id", chunkCorrelationId, "queue", QUEUE,
                    "field_id", x.fieldId(), "tenant_id", x.tenantId(), "slot_family", x.family()));
            return TickOutcome.CAPACITY_WAIT;
        }
        if (result instanceof RetypeChunk.Failed f) {
            events.warning("chunk_partial", "correlation_id", chunkCorrelationId, "queue", QUEUE, "field_id", f.fieldId(),
                    "checkpoint_id", f.checkpointId(), "failed_reason", f.reason());
            return TickOutcome.WORK_DONE;
        }
        RetypeChunk.Done d = (RetypeChunk.Done) result;
        events.info("chunk_claimed", "correlation_id", chunkCorrelationId, "queue", QUEUE, "field_id", d.fieldId(),
                "tenant_id", d.tenantId(), "cursor", d.cursorBefore());
        for (RetypeChunk.CoercionNull n : d.coercionNulls()) {
            events.info("coercion_null", "correlation_id", chunkCorrelationId, "tenant_id", d.tenantId(),
                    "field_id", d.fieldId(), "slot_assignment_id", d.slotAssignmentId(), "entry_id", n.entryId(),
                    "source_type", d.sourceType().wireName(), "target_type", d.targetType().wireName(),
                    "reason", n.reason().wireName());
        }
        events.info("chunk_complete", "correlation_id", chunkCorrelationId, "queue", QUEUE, "field_id", d.fieldId(),
                "tenant_id", d.tenantId(), "rows_processed", d.rowsProcessed(), "coercion_nulls", d.coercionNulls().size(),
                "cursor", d.cursor(), "final_chunk", d.finalChunk());
        return TickOutcome.WORK_DONE;
    }
}
