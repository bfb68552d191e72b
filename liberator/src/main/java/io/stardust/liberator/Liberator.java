package io.stardust.liberator;

import io.stardust.daemon.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.daemon.Tickable;
import io.stardust.daemon.UuidV4;
import io.stardust.engine.event.EventLog;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The Liberator (spec §8.3): each tick loads a batch of tombstoned slots and sweeps them one after the other,
 * returning each to {@code free}. Singleton by PID file (the sweep is not written for two concurrent sweepers of
 * one slot). An empty batch is an idle tick and logs nothing.
 *
 * <p>Events (source {@code liberator}, one correlation id per batch): {@code sweep_started{batch_size}},
 * {@code sweep_chunk{slot_assignment_id, rows_nullified, chunk_elapsed_ms, sweep_cursor_id}},
 * {@code sweep_complete{slot_assignment_id, sweep_cursor_id}}, {@code deadlock_retry{slot_assignment_id, attempt,
 * cursor}} and {@code sweep_gap_flagged{slot_assignment_id, start_id, end_id}} (both warnings).
 */
public final class Liberator implements Tickable, AutoCloseable {
    public static final String SOURCE = "liberator";
    /** The closed event vocabulary of this source (spec §10.2). */
    public static final List<String> EVENTS = List.of("sweep_started", "sweep_chunk", "sweep_complete",
            "deadlock_retry", "sweep_gap_flagged");

    private final SweepStore store;
    private final SlotSweeper sweeper;
    private final LiberatorConfig config;
    private final EventLog events;
    private final BooleanSupplier stopRequested;
    private final UuidV4 uuids = UuidV4.secure();
    private final AutoCloseable ownedPool;

    private Liberator(SweepStore store, SlotSweeper sweeper, LiberatorConfig config, EventLog events,
                      BooleanSupplier stopRequested, AutoCloseable ownedPool) {
        this.store = store;
        this.sweeper = sweeper;
        this.config = config;
        this.events = events;
        this.stopRequested = stopRequested;
        this.ownedPool = ownedPool;
    }

    /**
     * A Liberator on {@code ds}. {@code committer} wraps the chunk transaction (tests inject deadlocks there;
     * production passes {@code null} for the real one). {@code ownedPool}, if not null, is closed with the Liberator.
     */
    public static Liberator create(DataSource ds, LiberatorConfig config, Sleeper sleeper, BooleanSupplier stopRequested,
                                   ChunkCommitterDecorator committer, AutoCloseable ownedPool) {
        SweepStore store = new SweepStore(ds);
        EventLog events = new EventLog(SOURCE);
        ChunkCommitter base = store::commitChunk;
        ChunkCommitter effective = committer == null ? base : committer.decorate(base);
        return new Liberator(store, new SlotSweeper(store, effective, config, events, sleeper, stopRequested), config,
                events, stopRequested, ownedPool);
    }

    /** Wraps the real chunk transaction; the seam for deadlock injection. */
    @FunctionalInterface
    public interface ChunkCommitterDecorator {
        ChunkCommitter decorate(ChunkCommitter real);
    }

    @Override
    public TickOutcome tick() throws Exception {
        List<TombstonedSlot> batch = store.loadBatch(config.batchSize());
        if (batch.isEmpty()) {
            return TickOutcome.IDLE;
        }
        String correlationId = uuids.next();
        events.info("sweep_started", "correlation_id", correlationId, "batch_size", batch.size());
        for (TombstonedSlot slot : batch) {
            if (stopRequested.getAsBoolean() || sweeper.sweep(slot, correlationId) == SlotSweeper.Ending.STOPPED) {
                break;
            }
        }
        return TickOutcome.WORK_DONE;
    }

    @Override
    public void close() throws Exception {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
