package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;

/**
 * One of the Reconciler's work sources. Each tick gives every source exactly one bounded unit of
 * work, in a fixed order: the sync queue, import jobs, retype backfills, rename rewrites, field purges, model purges.
 */
@FunctionalInterface
public interface WorkSource {

    /**
     * Does one chunk of work under the tick's {@code chunkCorrelationId}: {@code WORK_DONE}, {@code IDLE} when there
     * was nothing to do, or {@code CAPACITY_WAIT} when work exists that cannot progress until a slot appears.
     */
    TickOutcome tickOne(String chunkCorrelationId) throws Exception;
}
