package io.stardust.reconciler;

import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.daemon.Tickable;
import io.stardust.daemon.UuidV4;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Reconciler's tick: one chunk correlation id; the sources in fixed order, one {@code tickOne} each. After a
 * {@code WORK_DONE} the inter-chunk delay is slept before the next source, and the loop sleeps it again after the
 * tick; {@code IDLE} costs no sleep within the tick. A source answering {@code CAPACITY_WAIT} does not end the tick
 * (divergence: upstream skipped the later sources, so one field waiting for a slot stalled renames, purges and
 * imports); the tick is {@code CAPACITY_WAIT}, and the poll loop sleeps {@code reconcilerCapacityWaitMillis}, only
 * when no source did work.
 *
 * <p>Divergences (see docs/daemons.md): the capacity wait and the delay after the last source are slept by the
 * poll loop, in shutdown-aware slices, not inside the tick; a tick whose sources were all idle returns
 * {@code IDLE}, which the loop answers with at least {@code daemonIdleBackoff} (Q7 fixed: an idle Reconciler no
 * longer spins against the database).
 */
public final class Reconciler implements Tickable, AutoCloseable {
    public static final String SOURCE = "reconciler";
    /**
     * The event vocabulary of this source. Upstream's are {@code chunk_claimed}, {@code chunk_complete},
     * {@code chunk_partial}, {@code dlq_inserted}, {@code capacity_wait}, {@code coercion_null} (retype backfill),
     * {@code lease_lost} (import jobs);
     * {@code deadlock_retry} is an addition (upstream let a deadlock end the process).
     */
    public static final List<String> EVENTS = List.of("chunk_claimed", "chunk_complete", "chunk_partial",
            "dlq_inserted", "capacity_wait", "deadlock_retry", "coercion_null", "lease_lost");

    private final List<WorkSource> sources;
    private final Duration interChunkDelay;
    private final Sleeper sleeper;
    private final Supplier<String> correlationIds;
    private final AutoCloseable ownedResources;

    public Reconciler(List<WorkSource> sources, Duration interChunkDelay, Sleeper sleeper,
                      Supplier<String> correlationIds, AutoCloseable ownedResources) {
        this.sources = List.copyOf(sources);
        this.interChunkDelay = interChunkDelay;
        this.sleeper = sleeper;
        this.correlationIds = correlationIds;
        this.ownedResources = ownedResources;
    }

    public static Supplier<String> uuids() {
        UuidV4 uuid = UuidV4.secure();
        return uuid::next;
    }

    @Override
    public TickOutcome tick() throws Exception {
        String chunkId = correlationIds.get();
        boolean worked = false;
        boolean waiting = false;
        for (int i = 0; i < sources.size(); i++) {
            TickOutcome outcome = sources.get(i).tickOne(chunkId);
            if (outcome == TickOutcome.CAPACITY_WAIT) {
                waiting = true; // the later sources still get their chunk (a waiting retype never blocks a purge)
                continue;
            }
            if (outcome == TickOutcome.WORK_DONE) {
                worked = true;
                if (i < sources.size() - 1 && !interChunkDelay.isZero()) {
                    sleeper.sleep(interChunkDelay);
                }
            }
        }
        if (worked) {
            return TickOutcome.WORK_DONE;
        }
        return waiting ? TickOutcome.CAPACITY_WAIT : TickOutcome.IDLE;
    }

    @Override
    public void close() throws Exception {
        if (ownedResources != null) {
            ownedResources.close();
        }
    }
}
