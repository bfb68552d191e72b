package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;

/**
 * One of the Reconciler's work sources (spec §8.2.1). Each tick gives every source exactly one bounded unit of
 * work. Here the sync queue is the only one: async import jobs and retype backfills move to the Kafka Streams
 * application, partitioned by tenant.
 */
@FunctionalInterface
public interface WorkSource {

    /**
     * Does one chunk of work under the tick's {@code chunkCorrelationId}: {@code WORK_DONE}, {@code IDLE} when there
     * was nothing to do, or {@code CAPACITY_WAIT} when work exists that cannot progress until a slot appears.
     */
    TickOutcome tickOne(String chunkCorrelationId) throws Exception;
}
