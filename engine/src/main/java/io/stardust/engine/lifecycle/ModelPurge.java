package io.stardust.engine.lifecycle;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Hard-deletes a deleted model's entries, one chunk per call in one transaction with its {@code purge_model_<id>}
 * checkpoint: the entries' external keys and sync-queue rows, then the {@code entry_data} rows (their slot page rows
 * follow by the pages' foreign key). The last chunk re-checks that no entry of any tenant still references the
 * model, then deletes its fields, their checkpoints, the model row and the checkpoint, and bumps the schema version.
 * The only hard delete in StarDust.
 */
public final class ModelPurge {
    private final DataSource ds;
    private final UtcClock clock;
    private final CheckpointLease lease;

    /** A driver whose checkpoint claims are leased to this process alone (tests, tools). */
    public ModelPurge(DataSource ds, UtcClock clock) {
        this(ds, clock, CheckpointLease.ofThisProcess());
    }

    public ModelPurge(DataSource ds, UtcClock clock, CheckpointLease lease) {
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
        Chunks.Claim claim = Chunks.claim(c, "purge\\_model\\_%", onlyId, lease, clock.now());
        if (claim == null) {
            return new PurgeChunk.Idle();
        }
        int modelId = (int) PurgeJobs.id(claim.jobName(), PurgeJobs.MODEL_PREFIX);
        var now = clock.now();
        long tenantId = Sql.queryLong(c, "SELECT tenant_id FROM stardust_models WHERE id = ? FOR UPDATE", -1, modelId);
        if (tenantId < 0) {
            Sql.update(c, "DELETE FROM backfill_checkpoints WHERE id = ?", claim.id());
            return new PurgeChunk.Done(modelId, 0, 0, 0, true);
        }
        List<Long> ids = Chunks.entryIds(c, tenantId, modelId, 0, chunkSize);
        int deleted = 0;
        if (!ids.isEmpty()) {
            String in = " IN (" + Sql.placeholders(ids.size()) + ")";
            for (String sql : List.of("DELETE FROM stardust_entry_keys WHERE entry_id" + in,
                    "DELETE FROM stardust_sync_queue WHERE entry_id" + in)) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    Sql.bind(ps, ids);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM entry_data WHERE id" + in)) {
                Sql.bind(ps, ids);
                deleted = ps.executeUpdate();
            }
        }
        boolean last = ids.size() < chunkSize
                && Sql.queryLong(c, "SELECT COUNT(*) FROM entry_data WHERE model_id = ?", 0, modelId) == 0;
        if (last) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM stardust_fields WHERE model_id = ?")) {
                ps.setInt(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long f = rs.getLong(1);
                        Sql.update(c, "DELETE FROM backfill_checkpoints WHERE job_name IN (?, ?, ?)", RetypeJobs.jobName(f),
                                RenameJobs.jobName(f), PurgeJobs.field(f));
                    }
                }
            }
            Sql.update(c, "DELETE FROM stardust_fields WHERE model_id = ?", modelId);
            Sql.update(c, "DELETE FROM stardust_models WHERE id = ?", modelId);
            Sql.update(c, "DELETE FROM backfill_checkpoints WHERE id = ?", claim.id());
            SchemaVersion.bump(c, now);
        } else {
            Chunks.advance(c, claim.id(), 0, deleted, now);
        }
        return new PurgeChunk.Done(modelId, tenantId, ids.size(), deleted, last);
    }
}
