package io.stardust.engine.slot;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * Moves a live slot to {@code tombstoned}, the state the Liberator sweeps. Every tombstoning path
 * (retype, promotion, demotion, relocation, operator tools, test fixtures) must go through here.
 *
 * <p>Fix for upstream quirk Q5: the Liberator's checkpoint ({@code sweep_cursor_id}) and gap counter
 * ({@code sweep_gap_count}) are reset in the same statement. Upstream kept them across free → reuse → tombstone,
 * so a re-swept slot skipped every row up to the old cursor and left stale values that a later field on the same
 * column could surface. (Reservation resets them as well, see {@link SlotReserver}; either reset alone would do,
 * both together keep a hand-edited registry row from leaking an old cursor into a new sweep.)
 *
 * <p>No schema-version bump here: the operation that tombstones (a retype initiation, say) bumps exactly once
 * for everything it changes, inside the caller's transaction.
 */
public final class SlotTombstoner {
    private SlotTombstoner() {
    }

    /**
     * Tombstones slot row {@code slotAssignmentId} inside the caller's transaction. Returns false when the row is
     * not live (already tombstoned, free, or missing), in which case nothing changed.
     */
    public static boolean tombstoneWithinTransaction(Connection c, long slotAssignmentId, LocalDateTime now)
            throws SQLException {
        // field_id is cleared together with the status change: the live-slot unique index sees NULL either way
        return Sql.update(c, "UPDATE stardust_slot_assignments SET field_id = NULL, status = 'tombstoned',"
                        + " tombstoned_at = ?, sweep_cursor_id = NULL, sweep_gap_count = 0, updated_at = ?"
                        + " WHERE id = ? AND status IN ('assigned', 'backfilling', 'ready')",
                now, now, slotAssignmentId) == 1;
    }
}
