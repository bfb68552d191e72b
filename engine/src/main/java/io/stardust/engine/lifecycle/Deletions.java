package io.stardust.engine.lifecycle;

import io.stardust.FieldDeletionInProgressException;
import io.stardust.RenameInProgressException;
import io.stardust.RetypeInProgressException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.schema.SchemaVersion;
import io.stardust.engine.slot.SlotTombstoner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Field and model deletion: one transaction marks the row deleted ({@code deleted_at}), tombstones the live slots
 * (the Liberator reclaims them), creates the purge checkpoint and bumps the schema version; from then on the field
 * (or the whole model) is gone from reads, registry introspection and filters, and writes strip its key (or are
 * refused). The Reconciler's {@link FieldPurge} / {@link ModelPurge} remove the data in chunks and finally the
 * registry rows. There is no undelete.
 */
public final class Deletions {
    private final DataSource ds;
    private final UtcClock clock;

    public Deletions(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /**
     * False when the field does not exist for the tenant or its deletion already started.
     *
     * @throws RenameInProgressException its rename is still rewriting payloads
     * @throws RetypeInProgressException its retype or promotion backfill is running
     */
    public boolean deleteField(long tenantId, long fieldId) {
        return Tx.inTransaction(ds, c -> {
            String name;
            String previous;
            try (PreparedStatement ps = c.prepareStatement("SELECT f.name, f.previous_name, f.deleted_at, m.deleted_at"
                    + " FROM stardust_fields f JOIN stardust_models m ON m.id = f.model_id"
                    + " WHERE f.id = ? AND m.tenant_id = ? FOR UPDATE OF f")) {
                ps.setLong(1, fieldId);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getObject(3) != null || rs.getObject(4) != null) {
                        return false;
                    }
                    name = rs.getString(1);
                    previous = rs.getString(2);
                }
            }
            if (previous != null) {
                throw new RenameInProgressException("field '" + name + "' (" + fieldId + ") is still being renamed;"
                        + " delete it when its checkpoint " + RenameJobs.jobName(fieldId) + " completes");
            }
            if (Sql.queryLong(c, "SELECT COUNT(*) FROM backfill_checkpoints WHERE job_name = ? AND status = 'running'", 0,
                    RetypeJobs.jobName(fieldId)) > 0) {
                throw new RetypeInProgressException("field '" + name + "' (" + fieldId + ") is being backfilled by a"
                        + " retype; delete it when its checkpoint " + RetypeJobs.jobName(fieldId) + " completes");
            }
            LocalDateTime now = clock.now();
            Sql.update(c, "UPDATE stardust_fields SET deleted_at = ?, is_filterable = FALSE, updated_at = ? WHERE id = ?",
                    now, now, fieldId);
            tombstoneLiveSlots(c, "sa.field_id = ?", fieldId, now);
            startCheckpoint(c, PurgeJobs.field(fieldId), now);
            SchemaVersion.bump(c, now);
            return true;
        });
    }

    /**
     * False when the model does not exist for the tenant or its deletion already started.
     *
     * @throws RenameInProgressException        one of its fields is being renamed
     * @throws RetypeInProgressException        one of its fields is being backfilled
     * @throws FieldDeletionInProgressException one of its fields is being deleted
     */
    public boolean deleteModel(long tenantId, int modelId) {
        return Tx.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT deleted_at FROM stardust_models WHERE id = ?"
                    + " AND tenant_id = ? FOR UPDATE")) {
                ps.setInt(1, modelId);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getObject(1) != null) {
                        return false;
                    }
                }
            }
            List<Long> fieldIds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, previous_name, deleted_at FROM stardust_fields"
                    + " WHERE model_id = ? FOR UPDATE")) {
                ps.setInt(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(3) != null) {
                            throw new RenameInProgressException("field '" + rs.getString(2) + "' of model " + modelId
                                    + " is still being renamed; delete the model when the rename completes");
                        }
                        if (rs.getObject(4) != null) {
                            throw new FieldDeletionInProgressException("field '" + rs.getString(2) + "' of model "
                                    + modelId + " is still being deleted; delete the model when its purge completes");
                        }
                        fieldIds.add(rs.getLong(1));
                    }
                }
            }
            for (long fieldId : fieldIds) {
                if (Sql.queryLong(c, "SELECT COUNT(*) FROM backfill_checkpoints WHERE job_name = ? AND status = 'running'",
                        0, RetypeJobs.jobName(fieldId)) > 0) {
                    throw new RetypeInProgressException("field " + fieldId + " of model " + modelId + " is being"
                            + " backfilled by a retype; delete the model when its checkpoint completes");
                }
            }
            LocalDateTime now = clock.now();
            Sql.update(c, "UPDATE stardust_models SET deleted_at = ? WHERE id = ?", now, modelId);
            tombstoneLiveSlots(c, "f.model_id = ?", modelId, now);
            startCheckpoint(c, PurgeJobs.model(modelId), now);
            SchemaVersion.bump(c, now);
            return true;
        });
    }

    private static void tombstoneLiveSlots(Connection c, String where, Object key, LocalDateTime now) throws SQLException {
        List<Long> slots = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sa.id FROM stardust_slot_assignments sa"
                + " JOIN stardust_fields f ON f.id = sa.field_id WHERE " + where
                + " AND sa.status IN ('assigned', 'backfilling', 'ready') FOR UPDATE OF sa")) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    slots.add(rs.getLong(1));
                }
            }
        }
        for (long slot : slots) {
            SlotTombstoner.tombstoneWithinTransaction(c, slot, now);
        }
    }

    private static void startCheckpoint(Connection c, String job, LocalDateTime now) throws SQLException {
        Sql.update(c, "DELETE FROM backfill_checkpoints WHERE job_name = ? AND status IN ('completed', 'failed')", job);
        Sql.update(c, "INSERT INTO backfill_checkpoints (job_name, last_processed_id, status, started_at, updated_at)"
                + " VALUES (?, 0, 'running', ?, ?)", job, now, now);
    }
}
