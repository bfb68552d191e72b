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
 * Moves a renamed field's values from the old key to the new one in {@code entry_data.fields}, one chunk per call,
 * in SQL ({@code JSON_REMOVE(JSON_SET(fields, '$."new"', JSON_EXTRACT(fields, '$."old"')), '$."old"')}, quoted
 * paths), each chunk one transaction that moves its {@code rename_field_<id>} checkpoint with the rows it rewrote.
 * Only rows that still hold the old key change; {@code updated_at} is left alone (the entry's content did not
 * change). The last chunk clears {@code previous_name} and completes the checkpoint in the same transaction, so
 * the read fallback and the write canonicalisation end exactly when no payload holds the old key any more.
 * Claims are {@code SKIP LOCKED}; a checkpoint whose field disappeared is marked {@code failed}.
 */
public final class RenameRewrite {
    private final DataSource ds;
    private final UtcClock clock;
    private final CheckpointLease lease;

    /** A driver whose checkpoint claims are leased to this process alone (tests, tools). */
    public RenameRewrite(DataSource ds, UtcClock clock) {
        this(ds, clock, CheckpointLease.ofThisProcess());
    }

    public RenameRewrite(DataSource ds, UtcClock clock, CheckpointLease lease) {
        this.ds = ds;
        this.clock = clock;
        this.lease = lease;
    }

    /** How one call ended. */
    public sealed interface Outcome {
    }

    public record Idle() implements Outcome {
    }

    public record Done(long fieldId, long tenantId, String oldName, String newName, long cursorBefore, long cursor,
                       int rowsScanned, int rowsRewritten, boolean finalChunk) implements Outcome {
    }

    public record Failed(long fieldId, String reason) implements Outcome {
    }

    /** One chunk of whichever claimable checkpoint of this kind waited longest. */
    public Outcome runChunk(int chunkSize) throws SQLException {
        return runChunk(chunkSize, null);
    }

    /** One chunk of checkpoint {@code checkpointId} only ({@code null}: any), if its lease is free or ours. */
    public Outcome runChunk(int chunkSize, Long checkpointId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Chunks.inReadCommittedTransaction(c, () -> chunk(c, chunkSize, checkpointId));
        }
    }

    private Outcome chunk(Connection c, int chunkSize, Long onlyId) throws SQLException {
        Chunks.Claim claim = Chunks.claim(c, "rename\\_field\\_%", onlyId, lease, clock.now());
        if (claim == null) {
            return new Idle();
        }
        long checkpointId = claim.id();
        long fieldId = RenameJobs.fieldId(claim.jobName());
        long cursor = claim.cursor();
        var now = clock.now();
        String oldName;
        String newName;
        int modelId;
        long tenantId;
        try (PreparedStatement ps = c.prepareStatement("SELECT f.name, f.previous_name, f.model_id, m.tenant_id"
                + " FROM stardust_fields f JOIN stardust_models m ON m.id = f.model_id WHERE f.id = ? FOR UPDATE OF f")) {
            ps.setLong(1, fieldId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(2) == null) {
                    String reason = "field " + fieldId + " no longer exists or is not being renamed";
                    Sql.update(c, "UPDATE backfill_checkpoints SET status = 'failed', last_error = ?, updated_at = ?,"
                            + " completed_at = ? WHERE id = ?", reason, now, now, checkpointId);
                    return new Failed(fieldId, reason);
                }
                newName = rs.getString(1);
                oldName = rs.getString(2);
                modelId = rs.getInt(3);
                tenantId = rs.getLong(4);
            }
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM entry_data WHERE tenant_id = ? AND model_id = ?"
                + " AND id > ? ORDER BY id LIMIT ? FOR UPDATE")) {
            ps.setLong(1, tenantId);
            ps.setInt(2, modelId);
            ps.setLong(3, cursor);
            ps.setInt(4, chunkSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        int rewritten = 0;
        if (!ids.isEmpty()) {
            String from = JsonPaths.key(oldName);
            String to = JsonPaths.key(newName);
            List<Object> args = new ArrayList<>(List.of(to, from, from, from));
            args.addAll(ids);
            try (PreparedStatement ps = c.prepareStatement("UPDATE entry_data SET fields = JSON_REMOVE(JSON_SET(fields, ?,"
                    + " JSON_EXTRACT(fields, ?)), ?) WHERE JSON_CONTAINS_PATH(fields, 'one', ?) AND id IN ("
                    + Sql.placeholders(ids.size()) + ")")) {
                Sql.bind(ps, args);
                rewritten = ps.executeUpdate();
            }
        }
        long newCursor = ids.isEmpty() ? cursor : ids.get(ids.size() - 1);
        boolean last = ids.size() < chunkSize;
        if (last) {
            Sql.update(c, "UPDATE backfill_checkpoints SET status = 'completed', last_processed_id = ?, updated_at = ?,"
                    + " completed_at = ?, rows_processed = rows_processed + ?, claimed_by = NULL, lease_until = NULL"
                    + " WHERE id = ?", newCursor, now, now, rewritten, checkpointId); // the lease ends with the checkpoint
            Sql.update(c, "UPDATE stardust_fields SET previous_name = NULL, updated_at = ? WHERE id = ?", now, fieldId);
            SchemaVersion.bump(c, now);
        } else {
            Sql.update(c, "UPDATE backfill_checkpoints SET last_processed_id = ?, updated_at = ?,"
                    + " rows_processed = rows_processed + ? WHERE id = ?", newCursor, now, rewritten, checkpointId);
        }
        return new Done(fieldId, tenantId, oldName, newName, cursor, newCursor, ids.size(), rewritten, last);
    }
}
