package io.stardust.engine.lifecycle;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Removes a deleted field's key from its model's payloads ({@code JSON_REMOVE(fields, '$."name"')}), one chunk per
 * call, each chunk one transaction with its {@code purge_field_<id>} checkpoint. The last chunk deletes the field
 * row and every checkpoint of the field in the same transaction (so its name can be used again) and bumps the
 * schema version. Claims are {@code SKIP LOCKED}.
 */
public final class FieldPurge {
    private final DataSource ds;
    private final UtcClock clock;
    private final CheckpointLease lease;

    /** A driver whose checkpoint claims are leased to this process alone (tests, tools). */
    public FieldPurge(DataSource ds, UtcClock clock) {
        this(ds, clock, CheckpointLease.ofThisProcess());
    }

    public FieldPurge(DataSource ds, UtcClock clock, CheckpointLease lease) {
        this.ds = ds;
        this.clock = clock;
        this.lease = lease;
    }

    /** One chunk of whichever claimable checkpoint of this kind waited longest. */
    public PurgeChunk runChunk(int chunkSize) throws SQLException {
        return runChunk(chunkSize, null);
    }

    /** One chunk of checkpoint {@code checkpointId} only ({@code null}: any), if its lease is free or ours. */
    public PurgeChunk runChunk(int chunkSize, Long checkpointId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Chunks.inReadCommittedTransaction(c, () -> chunk(c, chunkSize, checkpointId));
        }
    }

    private PurgeChunk chunk(Connection c, int chunkSize, Long onlyId) throws SQLException {
        Chunks.Claim claim = Chunks.claim(c, "purge\\_field\\_%", onlyId, lease, clock.now());
        if (claim == null) {
            return new PurgeChunk.Idle();
        }
        long fieldId = PurgeJobs.id(claim.jobName(), PurgeJobs.FIELD_PREFIX);
        var now = clock.now();
        String name;
        int modelId;
        long tenantId;
        try (PreparedStatement ps = c.prepareStatement("SELECT f.name, f.model_id, m.tenant_id FROM stardust_fields f"
                + " JOIN stardust_models m ON m.id = f.model_id WHERE f.id = ? FOR UPDATE OF f")) {
            ps.setLong(1, fieldId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) { // already gone: nothing left to purge
                    Sql.update(c, "DELETE FROM backfill_checkpoints WHERE id = ?", claim.id());
                    return new PurgeChunk.Done(fieldId, 0, 0, 0, true);
                }
                name = rs.getString(1);
                modelId = rs.getInt(2);
                tenantId = rs.getLong(3);
            }
        }
        List<Long> ids = Chunks.entryIds(c, tenantId, modelId, claim.cursor(), chunkSize);
        int changed = 0;
        if (!ids.isEmpty()) {
            String path = JsonPaths.key(name);
            List<Object> args = new ArrayList<>(List.of(path, path));
            args.addAll(ids);
            try (PreparedStatement ps = c.prepareStatement("UPDATE entry_data SET fields = JSON_REMOVE(fields, ?)"
                    + " WHERE JSON_CONTAINS_PATH(fields, 'one', ?) AND id IN (" + Sql.placeholders(ids.size()) + ")")) {
                Sql.bind(ps, args);
                changed = ps.executeUpdate();
            }
        }
        boolean last = ids.size() < chunkSize;
        if (last) {
            Sql.update(c, "DELETE FROM backfill_checkpoints WHERE job_name IN (?, ?, ?)", PurgeJobs.field(fieldId),
                    RetypeJobs.jobName(fieldId), RenameJobs.jobName(fieldId));
            Sql.update(c, "DELETE FROM stardust_fields WHERE id = ?", fieldId);
            SchemaVersion.bump(c, now);
        } else {
            Chunks.advance(c, claim.id(), ids.get(ids.size() - 1), changed, now);
        }
        return new PurgeChunk.Done(fieldId, tenantId, ids.size(), changed, last);
    }
}
