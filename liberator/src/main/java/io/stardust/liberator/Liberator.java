package io.stardust.liberator;

import io.stardust.AdvisoryLockTimeoutException;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.daemon.Tickable;
import io.stardust.daemon.UuidV4;
import io.stardust.engine.db.AdvisoryLock;
import io.stardust.engine.event.EventLog;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The Liberator: each tick loads a batch of tombstoned slots and sweeps them one after the other, returning each to
 * {@code free}. Multi-worker: a slot is swept only under the page's advisory lock {@code stardust_liberator_page_<pageId>}
 * (in the installation's lock namespace, taken without waiting), so one page is swept by one worker at a time and
 * the others move on to other pages; the slot is re-read under the lock, so a worker
 * resumes from the cursor another one committed and skips a slot another one freed. An empty batch, or one whose
 * pages are all being swept elsewhere, is an idle tick.
 *
 * <p>Events (source {@code liberator}, one correlation id per batch): {@code sweep_started{batch_size}},
 * {@code sweep_chunk{slot_assignment_id, rows_nullified, chunk_elapsed_ms, sweep_cursor_id}},
 * {@code sweep_complete{slot_assignment_id, sweep_cursor_id}}, {@code deadlock_retry{slot_assignment_id, attempt,
 * cursor}} and {@code sweep_gap_flagged{slot_assignment_id, start_id, end_id}} (both warnings).
 */
public final class Liberator implements Tickable, AutoCloseable {
    public static final String SOURCE = "liberator";
    /** The closed event vocabulary of this source. */
    public static final List<String> EVENTS = List.of("sweep_started", "sweep_chunk", "sweep_complete",
            "deadlock_retry", "sweep_gap_flagged");

    static final String PAGE_LOCK_PREFIX = "stardust_liberator_page_";

    private final DataSource ds;
    private final SweepStore store;
    private final SlotSweeper sweeper;
    private final LiberatorConfig config;
    private final EventLog events;
    private final BooleanSupplier stopRequested;
    private final UuidV4 uuids = UuidV4.secure();
    private final AutoCloseable ownedPool;
    private final String lockNamespace;

    private Liberator(DataSource ds, String lockNamespace, SweepStore store, SlotSweeper sweeper, LiberatorConfig config,
                      EventLog events, BooleanSupplier stopRequested, AutoCloseable ownedPool) {
        this.ds = ds;
        this.lockNamespace = lockNamespace;
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
        return create(ds, null, config, sleeper, stopRequested, committer, ownedPool);
    }

    /** As above, the page locks in {@code lockNamespace} (the {@code lockNamespace} option; null: the database name). */
    public static Liberator create(DataSource ds, String lockNamespace, LiberatorConfig config, Sleeper sleeper,
                                   BooleanSupplier stopRequested, ChunkCommitterDecorator committer,
                                   AutoCloseable ownedPool) {
        SweepStore store = new SweepStore(ds);
        EventLog events = new EventLog(SOURCE);
        ChunkCommitter base = store::commitChunk;
        ChunkCommitter effective = committer == null ? base : committer.decorate(base);
        return new Liberator(ds, lockNamespace, store,
                new SlotSweeper(store, effective, config, events, sleeper, stopRequested), config, events, stopRequested,
                ownedPool);
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
        boolean swept = false;
        for (TombstonedSlot slot : batch) {
            if (stopRequested.getAsBoolean()) {
                break;
            }
            try (AdvisoryLock page = pageLock(slot.pageId())) {
                if (page == null) {
                    continue; // another worker is sweeping this page
                }
                Optional<TombstonedSlot> current = store.reload(slot.slotAssignmentId());
                if (current.isEmpty()) {
                    continue; // freed by another worker since the batch was read
                }
                swept = true;
                if (sweeper.sweep(current.get(), correlationId) == SlotSweeper.Ending.STOPPED) {
                    break;
                }
            }
        }
        return swept ? TickOutcome.WORK_DONE : TickOutcome.IDLE;
    }

    /** The page's sweep lock, or null when another session holds it (no waiting). */
    private AdvisoryLock pageLock(int pageId) throws java.sql.SQLException {
        try {
            return AdvisoryLock.acquire(ds::getConnection, PAGE_LOCK_PREFIX + pageId, 0, lockNamespace);
        } catch (AdvisoryLockTimeoutException held) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
