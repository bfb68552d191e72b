package io.stardust.liberator;

import io.stardust.engine.db.Sleeper;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.event.EventLog;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Sweeps one tombstoned slot: from its committed cursor, reads the next chunk of entry ids (outside
 * any transaction), nulls them and commits the new cursor in one transaction, until a chunk is short; the last
 * chunk's transaction also frees the slot.
 *
 * <p>Crash behaviour: the values of a chunk and the cursor that covers them commit together, so a process killed
 * at any point resumes at the last committed cursor and never skips a row; at worst it re-reads ids of a chunk
 * whose transaction died, whose values are still there. A chunk that lost a lock conflict (deadlock or lock wait
 * timeout) is rolled back and retried from the same cursor; after {@code liberatorDeadlockRetryBudget} consecutive
 * conflicts the range {@code (cursor, cursor +
 * chunkSize]} is skipped and counted as a gap ({@code sweep_gap_count}, {@code sweep_gap_flagged}) so bounded
 * contention cannot stall reclamation. Values inside a gap stay behind (as upstream); the event tells an operator
 * which ids to check.
 *
 * <p>Between chunks the sweeper checks {@code stopRequested}: a shutdown stops it at a chunk boundary, which is
 * safe because the cursor is committed; the next start resumes there.
 */
public final class SlotSweeper {

    /** How one slot's sweep ended. */
    public enum Ending {
        /** The last chunk committed and the slot is free. */
        FREED,
        /** Shutdown requested between chunks; the committed cursor is where the next run resumes. */
        STOPPED,
        /** The slot stopped being tombstoned under us (resurrected by an operator); left alone. */
        NOT_TOMBSTONED
    }

    private final SweepStore store;
    private final ChunkCommitter committer;
    private final LiberatorConfig config;
    private final EventLog events;
    private final Sleeper sleeper;
    private final BooleanSupplier stopRequested;

    public SlotSweeper(SweepStore store, ChunkCommitter committer, LiberatorConfig config, EventLog events,
                       Sleeper sleeper, BooleanSupplier stopRequested) {
        this.store = store;
        this.committer = committer;
        this.config = config;
        this.events = events;
        this.sleeper = sleeper;
        this.stopRequested = stopRequested;
    }

    public Ending sweep(TombstonedSlot slot, String correlationId) throws SQLException, InterruptedException {
        long cursor = slot.cursor();
        int deadlocks = 0;
        while (true) {
            SweepChunk chunk = SweepChunk.of(slot, cursor, store.nextIds(slot, cursor, config.chunkSize()),
                    config.chunkSize());
            long started = System.nanoTime();
            ChunkCommitter.Result result;
            try {
                result = committer.commit(chunk);
            } catch (SQLException | RuntimeException e) {
                if (!DbErrorKind.CONFLICT.matches(e)) {
                    throw e;
                }
                deadlocks++;
                events.warning("deadlock_retry", "correlation_id", correlationId,
                        "slot_assignment_id", slot.slotAssignmentId(), "attempt", deadlocks, "cursor", cursor);
                if (deadlocks >= config.deadlockRetryBudget()) {
                    long gapEnd = cursor + config.chunkSize();
                    if (!store.recordGap(slot, gapEnd)) {
                        return Ending.NOT_TOMBSTONED;
                    }
                    events.warning("sweep_gap_flagged", "correlation_id", correlationId,
                            "slot_assignment_id", slot.slotAssignmentId(), "start_id", cursor, "end_id", gapEnd);
                    cursor = gapEnd;
                    deadlocks = 0;
                }
                if (pauseOrStop()) {
                    return Ending.STOPPED;
                }
                continue;
            }
            if (!result.committed()) {
                return Ending.NOT_TOMBSTONED;
            }
            deadlocks = 0;
            events.info("sweep_chunk", "correlation_id", correlationId,
                    "slot_assignment_id", slot.slotAssignmentId(), "rows_nullified", result.rowsNullified(),
                    "chunk_elapsed_ms", Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    "sweep_cursor_id", chunk.newCursor());
            if (chunk.last()) {
                events.info("sweep_complete", "correlation_id", correlationId,
                        "slot_assignment_id", slot.slotAssignmentId(), "sweep_cursor_id", chunk.newCursor());
                return Ending.FREED;
            }
            cursor = chunk.newCursor();
            if (pauseOrStop()) {
                return Ending.STOPPED;
            }
        }
    }

    /** Sleeps the inter-chunk delay; true when the daemon should stop before the next chunk. */
    private boolean pauseOrStop() throws InterruptedException {
        if (stopRequested.getAsBoolean()) {
            return true;
        }
        Duration delay = config.interChunkDelay();
        if (!delay.isZero()) {
            sleeper.sleep(delay);
        }
        return stopRequested.getAsBoolean();
    }
}
