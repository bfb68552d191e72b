package io.stardust.engine.lifecycle;

import io.stardust.CompactionCapacityException;
import io.stardust.DeclaredType;
import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldLifecycleChange;
import io.stardust.FieldNotFoundException;
import io.stardust.IncompatibleRetypeException;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.RenameInProgressException;
import io.stardust.RetypeInProgressException;
import io.stardust.SlotAssignment;
import io.stardust.SlotStatus;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.schema.SchemaVersion;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.engine.slot.SlotTombstoner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one initiator of retype, promotion, demotion and relocation: a single transaction (the "tuple") that updates
 * the field row, tombstones its live slot, reserves a {@code backfilling} replacement when the field stays or becomes
 * filterable, bumps the schema version exactly once and creates the {@code retype_field_<id>} checkpoint the
 * backfill works from. Either all of it commits or none of it.
 *
 * <p>Guards run on the locked field row before any change: missing or foreign field
 * ({@link FieldNotFoundException}), a pair between a number type and datetime ({@link IncompatibleRetypeException}),
 * a backfill of the field still running ({@link RetypeInProgressException}). Concurrent initiations on one field
 * serialise on the field row lock, so the second one sees the first one's running checkpoint.
 *
 * <p>Fix for upstream quirk Q4: a finished ({@code completed} or {@code failed}) checkpoint of the field is deleted
 * inside the tuple, so a field can go through any number of lifecycles.
 *
 * <p>Because {@code declared_type} changes in the tuple and the backfilling slot is live, writes coerce against
 * the new type and land in the new slot from the moment the tuple commits.
 */
public final class FieldLifecycleInitiator {
    private final DataSource ds;
    private final UtcClock clock;
    private final SlotReserver reserver;
    private final EventLog events = new EventLog("registry");

    public FieldLifecycleInitiator(DataSource ds, UtcClock clock, SlotReserver reserver) {
        this.ds = ds;
        this.clock = clock;
        this.reserver = reserver;
    }

    /**
     * Runs the tuple. {@code newType} and {@code newFilterable} are null when unchanged; {@code pinnedPageId} is
     * set only by compaction (the replacement must be on that page, else {@link CompactionCapacityException} and
     * nothing changes).
     */
    public FieldLifecycleChange initiate(long tenantId, long fieldId, DeclaredType newType, Boolean newFilterable,
                                         Integer pinnedPageId) {
        Optional<SlotAssignment>[] reserved = new Optional[] {Optional.empty()};
        FieldLifecycleChange change = Tx.inTransaction(ds, c -> {
            FieldRow f = lockField(c, tenantId, fieldId);
            DeclaredType effectiveType = newType != null ? newType : f.type();
            boolean effectiveFilterable = newFilterable != null ? newFilterable : f.filterable();
            if (newType != null && CoercionMatrix.isRejectedPair(f.type(), newType)) {
                throw new IncompatibleRetypeException("field '" + f.name() + "' (" + fieldId + ") cannot be retyped from "
                        + f.type() + " to " + newType + ": numbers and datetimes do not convert into each other;"
                        + " bridge through a string field (retype to string first, then to " + newType + ")");
            }
            if (f.previousName() != null) {
                throw new RenameInProgressException("field '" + f.name() + "' (" + fieldId + ") is still being renamed from '"
                        + f.previousName() + "'; retype, promote or demote it when its checkpoint "
                        + RenameJobs.jobName(fieldId) + " completes");
            }
            String job = RetypeJobs.jobName(fieldId);
            if ("running".equals(checkpointStatus(c, job))) {
                throw new RetypeInProgressException("field '" + f.name() + "' (" + fieldId + ") is still being backfilled"
                        + " by a previous retype, promotion or relocation; wait until its checkpoint " + job
                        + " completes (bin/stardust lifecycle:status)");
            }
            LocalDateTime now = clock.now();
            if (newType != null || newFilterable != null) {
                Sql.update(c, "UPDATE stardust_fields SET declared_type = ?, is_filterable = ?, updated_at = ? WHERE id = ?",
                        effectiveType.wireName(), effectiveFilterable, now, fieldId);
            }
            Long oldSlot = tombstoneLiveSlot(c, fieldId, now);
            if (effectiveFilterable) {
                reserved[0] = pinnedPageId != null
                        ? reserver.reserveForBackfillOnPageWithinTransaction(c, fieldId, pinnedPageId)
                        : reserver.reserveForBackfillWithinTransaction(c, fieldId, true);
                if (reserved[0].isEmpty() && pinnedPageId != null) {
                    throw new CompactionCapacityException("no free indexed " + effectiveType.family() + " slot on page "
                            + pinnedPageId + " for field '" + f.name() + "' (" + fieldId + "); nothing was mutated");
                }
            }
            if (reserved[0].isEmpty()) {
                SchemaVersion.bump(c, now); // a reservation bumped already: exactly one bump per initiation
            }
            if (effectiveFilterable) {
                Sql.update(c, "DELETE FROM backfill_checkpoints WHERE job_name = ? AND status IN ('completed', 'failed')", job);
                Sql.update(c, "INSERT INTO backfill_checkpoints (job_name, last_processed_id, status, started_at, updated_at,"
                        + " source_declared_type) VALUES (?, 0, 'running', ?, ?, ?)", job, now, now, f.type().wireName());
            }
            return new FieldLifecycleChange(tenantId, fieldId, f.type(), effectiveType, f.filterable(), effectiveFilterable,
                    oldSlot, reserved[0].map(SlotAssignment::slotAssignmentId).orElse(null), effectiveFilterable,
                    effectiveFilterable && reserved[0].isEmpty());
        });
        reserved[0].ifPresent(a -> reserver.announce(fieldId, a, SlotStatus.BACKFILLING));
        events.info("retype_started", "tenant_id", tenantId, "field_id", fieldId,
                "old_declared_type", change.oldDeclaredType().wireName(), "new_declared_type", change.newDeclaredType().wireName(),
                "old_is_filterable", change.oldIsFilterable(), "new_is_filterable", change.newIsFilterable(),
                "old_slot_assignment_id", change.oldSlotAssignmentId(), "new_slot_assignment_id", change.newSlotAssignmentId(),
                "backfill_required", change.backfillRequired(), "deferred_assignment", change.deferredAssignment());
        return change;
    }

    record FieldRow(String name, DeclaredType type, boolean filterable, int modelId, String previousName) {
    }

    /** The field row, locked; a field of another tenant's model is indistinguishable from a missing one. */
    static FieldRow lockField(Connection c, long tenantId, long fieldId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT f.name, f.declared_type, f.is_filterable, f.model_id,"
                + " f.previous_name, f.deleted_at IS NOT NULL, m.deleted_at IS NOT NULL FROM stardust_fields f JOIN stardust_models m ON m.id = f.model_id"
                + " WHERE f.id = ? AND m.tenant_id = ? FOR UPDATE OF f")) {
            ps.setLong(1, fieldId);
            ps.setLong(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new FieldNotFoundException("field " + fieldId + " does not exist for tenant " + tenantId);
                }
                if (rs.getBoolean(7)) {
                    throw new ModelDeletionInProgressException("the model of field " + fieldId + " is being deleted");
                }
                if (rs.getBoolean(6)) {
                    throw new FieldDeletionInProgressException("field '" + rs.getString(1) + "' (" + fieldId
                            + ") is being deleted");
                }
                return new FieldRow(rs.getString(1), DeclaredType.parse(rs.getString(2)), rs.getBoolean(3), rs.getInt(4),
                        rs.getString(5));
            }
        }
    }

    private static String checkpointStatus(Connection c, String job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM backfill_checkpoints WHERE job_name = ? FOR UPDATE")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Long tombstoneLiveSlot(Connection c, long fieldId, LocalDateTime now) throws SQLException {
        long id = Sql.queryLong(c, "SELECT id FROM stardust_slot_assignments WHERE field_id = ?"
                + " AND status IN ('assigned', 'backfilling', 'ready') LIMIT 1 FOR UPDATE", -1, fieldId);
        if (id < 0) {
            return null;
        }
        SlotTombstoner.tombstoneWithinTransaction(c, id, now);
        return id;
    }
}
