package io.stardust.engine.slot;

import io.stardust.DatabaseException;
import io.stardust.DeclaredType;
import io.stardust.NonFilterableFieldSlotException;
import io.stardust.SlotAssignment;
import io.stardust.SlotStatus;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.db.Retry;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Atomically moves one free slot of the field's family to a live status for the field.
 *
 * <p>The candidate is chosen by two index-ordered locking reads (first the pages the model already occupies, then
 * the globally oldest free slot); {@code FOR UPDATE OF sa} locks only the chosen row, and the claim UPDATE is
 * guarded by {@code status = 'free'}. A second live slot for one field is refused by the functional unique index
 * {@code ux_slot_assignments_field_live}, so concurrent reservations can never hand one slot to two fields nor
 * two slots to one field. No free slot is an empty result, not an error, and bumps nothing.
 */
public final class SlotReserver {
    /** Two reservations racing for the same free slot can deadlock; the loser retries at once (3 attempts). */
    private static final Retry CONFLICTS = Retry.on(DbErrorKind.CONFLICT).maxRetries(2);

    private final DataSource ds;
    private final UtcClock clock;
    private final EventLog events = new EventLog("registry");

    public SlotReserver(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** Manual/seed reservation: status {@code assigned}, any free slot (indexed or not), own transaction. */
    public Optional<SlotAssignment> reserve(long fieldId) {
        return reserveOwnTx(fieldId, SlotStatus.ASSIGNED, false);
    }

    /** Reconciler exhaustion path: status {@code assigned}, only indexed slots, own transaction. */
    public Optional<SlotAssignment> reserveForExhaustionBackfill(long fieldId) {
        return reserveOwnTx(fieldId, SlotStatus.ASSIGNED, true);
    }

    /**
     * Retype/promotion path: status {@code backfilling}, inside the caller's transaction (a miss leaves it open and
     * unchanged). The caller announces the reservation with {@link #announce} after its commit.
     */
    public Optional<SlotAssignment> reserveForBackfillWithinTransaction(Connection c, long fieldId, boolean requireIndexed)
            throws SQLException {
        return reserveIn(c, resolve(c, fieldId), SlotStatus.BACKFILLING, requireIndexed, List.of());
    }

    /**
     * Compaction's relocation: status {@code backfilling}, an indexed free slot on {@code pageId} only (no spill to
     * other pages), inside the caller's transaction.
     */
    public Optional<SlotAssignment> reserveForBackfillOnPageWithinTransaction(Connection c, long fieldId, int pageId)
            throws SQLException {
        return reserveIn(c, resolve(c, fieldId), SlotStatus.BACKFILLING, true, List.of(pageId));
    }

    /** Logs {@code slot_reserved} for an in-transaction reservation, after the caller committed it. */
    public void announce(long fieldId, SlotAssignment a, SlotStatus status) {
        emitReserved(fieldId, a, status);
    }

    private Optional<SlotAssignment> reserveOwnTx(long fieldId, SlotStatus target, boolean requireIndexed) {
        FieldTarget field = Tx.withConnection(ds, c -> resolve(c, fieldId)); // validation before any transaction
        try {
            Optional<SlotAssignment> result = CONFLICTS.call(
                    () -> Tx.inTransaction(ds, c -> reserveIn(c, field, target, requireIndexed, List.of())));
            result.ifPresent(a -> emitReserved(fieldId, a, target));
            return result;
        } catch (InterruptedException e) {
            // unreachable in practice (the retries do not wait); keep the interrupt for the caller
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while reserving a slot for field " + fieldId, e);
        }
    }

    private void emitReserved(long fieldId, SlotAssignment a, SlotStatus status) {
        events.info("slot_reserved", "field_id", fieldId, "slot_assignment_id", a.slotAssignmentId(), "page_id", a.pageId(),
                "slot_column", a.slotColumn(), "slot_type", a.slotType(), "status", status.wireName(), "affinity", a.affinity());
    }

    record FieldTarget(long fieldId, String family, int modelId) {
    }

    static FieldTarget resolve(Connection c, long fieldId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT declared_type, is_filterable, model_id FROM stardust_fields WHERE id = ?")) {
            ps.setLong(1, fieldId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("unknown field id " + fieldId);
                }
                if (!rs.getBoolean("is_filterable")) {
                    throw new NonFilterableFieldSlotException("field " + fieldId + " is not filterable; only filterable fields get slots");
                }
                return new FieldTarget(fieldId, DeclaredType.parse(rs.getString("declared_type")).family(), rs.getInt("model_id"));
            }
        }
    }

    private Optional<SlotAssignment> reserveIn(Connection c, FieldTarget field, SlotStatus target, boolean requireIndexed,
                                               List<Integer> pinned) throws SQLException {
        List<Integer> affine = affinePages(c, field.modelId());
        Candidate found;
        String affinity;
        if (!pinned.isEmpty()) {
            found = candidate(c, field.family(), requireIndexed, pinned);
            affinity = affine.containsAll(pinned) ? "co_located" : "fallback";
        } else {
            found = affine.isEmpty() ? null : candidate(c, field.family(), requireIndexed, affine);
            affinity = "co_located";
            if (found == null) {
                found = candidate(c, field.family(), requireIndexed, List.of());
                affinity = "fallback";
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        // Q5 fix: a reused slot starts with a clean Liberator checkpoint.
        int claimed = Sql.update(c, "UPDATE stardust_slot_assignments SET status = ?, field_id = ?, updated_at = ?,"
                        + " sweep_cursor_id = NULL, sweep_gap_count = 0 WHERE id = ? AND status = 'free'",
                target.wireName(), field.fieldId(), clock.now(), found.id());
        if (claimed == 0) {
            return Optional.empty();
        }
        SchemaVersion.bump(c, clock.now());
        return Optional.of(new SlotAssignment(found.pageId(), found.column(), found.id(), field.family(), affinity));
    }

    private static List<Integer> affinePages(Connection c, int modelId) throws SQLException {
        List<Integer> pages = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT sa.page_id FROM stardust_slot_assignments sa"
                + " JOIN stardust_fields f ON f.id = sa.field_id"
                + " WHERE f.model_id = ? AND sa.status IN ('assigned', 'backfilling', 'ready') ORDER BY sa.page_id")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pages.add(rs.getInt(1));
                }
            }
        }
        return pages;
    }

    private record Candidate(long id, int pageId, String column) {
    }

    /** One index-ordered locking read; never an ORDER BY expression, which would filesort and lock the free pool. */
    private static Candidate candidate(Connection c, String family, boolean requireIndexed, List<Integer> pages)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT sa.id, sa.page_id, sa.slot_column FROM stardust_slot_assignments sa");
        if (!pages.isEmpty()) {
            sql.append(" FORCE INDEX (ix_slot_assignments_page_status)");
        }
        sql.append(" JOIN stardust_pages p ON p.id = sa.page_id WHERE sa.status = 'free' AND sa.slot_type = ?");
        if (requireIndexed) {
            sql.append(" AND ").append(IndexedSlot.predicate("sa", "p"));
        }
        if (!pages.isEmpty()) {
            sql.append(" AND sa.page_id IN (").append(Sql.placeholders(pages.size())).append(')');
        }
        sql.append(" ORDER BY sa.page_id, sa.id LIMIT 1 FOR UPDATE OF sa");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, family);
            for (int i = 0; i < pages.size(); i++) {
                ps.setInt(i + 2, pages.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Candidate(rs.getLong(1), rs.getInt(2), rs.getString(3)) : null;
            }
        }
    }
}
