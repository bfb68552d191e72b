package io.stardust.engine.lifecycle;

import io.stardust.EngineFixture;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.slot.SlotReserver;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Drives the retype backfill directly (no daemon) and reads slots and checkpoints back. */
final class LifecycleSupport {
    final EngineFixture fx;
    final RetypeBackfill backfill;

    LifecycleSupport(EngineFixture fx) {
        this.fx = fx;
        UtcClock clock = new UtcClock(Clock.systemUTC());
        this.backfill = new RetypeBackfill(fx.ds, clock, new SlotReserver(fx.ds, clock));
    }

    RetypeChunk chunk(int size) {
        try {
            return backfill.runChunk(size);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs chunks until the backfill is idle; returns the chunks that did work. */
    List<RetypeChunk.Done> runToCompletion(int size) {
        List<RetypeChunk.Done> done = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            RetypeChunk r = chunk(size);
            if (r instanceof RetypeChunk.Done d) {
                done.add(d);
            } else if (r instanceof RetypeChunk.Idle) {
                return done;
            } else {
                throw new IllegalStateException("backfill stopped: " + r);
            }
        }
        throw new IllegalStateException("backfill did not finish");
    }

    /** The field's live slot as [id, status, page table, column], or null. */
    List<Object> liveSlot(long fieldId) {
        List<List<Object>> rows = fx.rows("SELECT sa.id, sa.status, p.table_name, sa.slot_column FROM stardust_slot_assignments sa"
                + " JOIN stardust_pages p ON p.id = sa.page_id WHERE sa.field_id = ? AND sa.status IN ('assigned','backfilling','ready')",
                fieldId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    Object slotValue(long fieldId, long entryId) {
        List<Object> slot = liveSlot(fieldId);
        List<List<Object>> rows = fx.rows("SELECT " + slot.get(3) + " FROM " + slot.get(2) + " WHERE entry_id = ?", entryId);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** [status, last_processed_id, source_declared_type, rows_processed, coercion_nulls] of the field's checkpoint. */
    List<Object> checkpoint(long fieldId) {
        List<List<Object>> rows = fx.rows("SELECT status, last_processed_id, source_declared_type, rows_processed, coercion_nulls"
                + " FROM backfill_checkpoints WHERE job_name = ?", RetypeJobs.jobName(fieldId));
        return rows.isEmpty() ? null : rows.get(0);
    }
}
