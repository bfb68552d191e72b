package io.stardust.engine.lifecycle;

import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldNameConflictException;
import io.stardust.ModelNameConflictException;
import io.stardust.ModelNotFoundException;
import io.stardust.RenameInProgressException;
import io.stardust.RetypeInProgressException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.json.Json;
import io.stardust.engine.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Field and model renames. A model rename is a label change, complete on return. A field rename changes the
 * registry at once ({@code name} = new, {@code previous_name} = old, one schema-version bump, a
 * {@code rename_field_<id>} checkpoint) and leaves the payloads to the {@link RenameRewrite}: until it finishes,
 * writes that send the old key are stored under the new one and reads fall back from the new key to the old one,
 * so every reader sees the value under the new name at once. The slot and its index are untouched.
 */
public final class Renames {
    private static final int MAX_NAME = 128;

    private final DataSource ds;
    private final UtcClock clock;

    public Renames(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /**
     * @throws io.stardust.FieldNotFoundException missing or foreign field
     * @throws RetypeInProgressException          its retype/promotion backfill is running
     * @throws RenameInProgressException          its previous rename is still rewriting payloads
     * @throws FieldNameConflictException         another field of the model has (or is being renamed from) that name
     * @throws FieldDeletionInProgressException  the field itself, or the field whose name it asks for, is being deleted
     */
    public void renameField(long tenantId, long fieldId, String newName) {
        String name = validName(newName, "field");
        Tx.inTransaction(ds, c -> {
            FieldLifecycleInitiator.FieldRow f = FieldLifecycleInitiator.lockField(c, tenantId, fieldId);
            if ("running".equals(status(c, RetypeJobs.jobName(fieldId)))) {
                throw new RetypeInProgressException("field '" + f.name() + "' (" + fieldId
                        + ") is being backfilled by a retype; rename it when its checkpoint completes");
            }
            if (f.previousName() != null) {
                throw new RenameInProgressException("field '" + f.name() + "' (" + fieldId + ") is still being renamed;"
                        + " wait until its checkpoint " + RenameJobs.jobName(fieldId) + " completes");
            }
            if (name.equals(f.name())) {
                return null;
            }
            long taken = Sql.queryLong(c, "SELECT MAX(deleted_at IS NOT NULL AND name = ?) FROM stardust_fields"
                    + " WHERE model_id = ? AND id <> ? AND (name = ? OR previous_name = ?)", -1, name, f.modelId(), fieldId,
                    name, name);
            if (taken == 1) {
                throw new FieldDeletionInProgressException("model " + f.modelId() + " has a field named '" + name
                        + "' that is being deleted; its name can be used again when its purge has finished");
            }
            if (taken == 0) {
                throw new FieldNameConflictException("model " + f.modelId() + " already has a field named '" + name + "'");
            }
            var now = clock.now();
            Sql.update(c, "UPDATE stardust_fields SET name = ?, previous_name = ?, updated_at = ? WHERE id = ?",
                    name, f.name(), now, fieldId);
            String job = RenameJobs.jobName(fieldId);
            Sql.update(c, "DELETE FROM backfill_checkpoints WHERE job_name = ? AND status IN ('completed', 'failed')", job);
            Sql.update(c, "INSERT INTO backfill_checkpoints (job_name, last_processed_id, status, started_at, updated_at)"
                    + " VALUES (?, 0, 'running', ?, ?)", job, now, now);
            SchemaVersion.bump(c, now);
            return null;
        });
    }

    /**
     * @throws ModelNotFoundException      missing or foreign model
     * @throws ModelNameConflictException  another model of the tenant has that name (names compare case- and
     *                                     accent-insensitively)
     */
    public void renameModel(long tenantId, int modelId, String newName) {
        String name = validName(newName, "model");
        Tx.inTransaction(ds, c -> {
            long deleted = Sql.queryLong(c, "SELECT deleted_at IS NOT NULL FROM stardust_models WHERE id = ? AND tenant_id = ?"
                    + " FOR UPDATE", -1, modelId, tenantId);
            if (deleted < 0) {
                throw new ModelNotFoundException("model " + modelId + " does not exist for tenant " + tenantId);
            }
            if (deleted == 1) {
                throw new io.stardust.ModelDeletionInProgressException("model " + modelId + " is being deleted");
            }
            if (Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_models WHERE tenant_id = ? AND name = ? AND id <> ?", 0,
                    tenantId, name, modelId) > 0) {
                throw new ModelNameConflictException("tenant " + tenantId + " already has a model named '" + name + "'");
            }
            try {
                Sql.update(c, "UPDATE stardust_models SET name = ? WHERE id = ?", name, modelId);
            } catch (SQLException e) {
                if (Sql.isDuplicateKey(e)) { // a concurrent rename or create took the name after our check
                    throw new ModelNameConflictException("tenant " + tenantId + " already has a model named '" + name + "'");
                }
                throw e;
            }
            SchemaVersion.bump(c, clock.now());
            return null;
        });
    }

    private static String status(Connection c, String job) throws SQLException {
        try (var ps = c.prepareStatement("SELECT status FROM backfill_checkpoints WHERE job_name = ?")) {
            ps.setString(1, job);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String validName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the new " + what + " name must not be empty");
        }
        if (Json.codePoints(name) > MAX_NAME) {
            throw new IllegalArgumentException("the new " + what + " name is longer than " + MAX_NAME + " characters");
        }
        return name;
    }
}
