package io.stardust.engine.lifecycle;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** What the chunk executors share: the transaction frame, the checkpoint claim and lease, the entry window, the cursor. */
final class Chunks {
    /** The condition that a checkpoint's lease can be taken by owner {@code ?} at time {@code ?}. */
    static final String LEASE_FREE = "(claimed_by IS NULL OR claimed_by = ? OR lease_until IS NULL OR lease_until <= ?)";

    private Chunks() {
    }

    interface Body<T> {
        T run() throws SQLException;
    }

    record Claim(long id, String jobName, long cursor) {
    }

    /** READ COMMITTED, so a chunk locks the rows it touches and no gaps (writers of new entries never wait). */
    static <T> T inReadCommittedTransaction(Connection c, Body<T> body) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        c.setAutoCommit(false);
        try {
            T out = body.run();
            c.commit();
            return out;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
            c.setTransactionIsolation(isolation);
        }
    }

    /**
     * The running checkpoint of this kind that waited longest and whose lease is free, expired or ours, locked and
     * leased to {@code lease}'s owner until {@code now + length} (in the caller's transaction, so a driver that lost
     * its lease finds nothing and moves nothing); skips rows other workers hold locked. {@code onlyId} (or null)
     * restricts the claim to one checkpoint.
     */
    static Claim claim(Connection c, String jobLike, Long onlyId, CheckpointLease lease, LocalDateTime now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_name, last_processed_id FROM backfill_checkpoints"
                + " WHERE status = 'running' AND job_name LIKE ? AND " + LEASE_FREE + (onlyId == null ? "" : " AND id = ?")
                + " ORDER BY updated_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, jobLike);
            ps.setString(2, lease.owner());
            ps.setObject(3, now);
            if (onlyId != null) {
                ps.setLong(4, onlyId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Claim claim = new Claim(rs.getLong(1), rs.getString(2), rs.getLong(3));
                renew(c, claim.id(), lease, now);
                return claim;
            }
        }
    }

    static void renew(Connection c, long checkpointId, CheckpointLease lease, LocalDateTime now) throws SQLException {
        Sql.update(c, "UPDATE backfill_checkpoints SET claimed_by = ?, lease_until = ? WHERE id = ?", lease.owner(),
                now.plus(lease.length()), checkpointId);
    }

    /** The next {@code size} entry ids of the model after {@code cursor}, locked (soft-deleted ones included). */
    static List<Long> entryIds(Connection c, long tenantId, int modelId, long cursor, int size) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM entry_data WHERE tenant_id = ? AND model_id = ?"
                + " AND id > ? ORDER BY id LIMIT ? FOR UPDATE")) {
            ps.setLong(1, tenantId);
            ps.setInt(2, modelId);
            ps.setLong(3, cursor);
            ps.setInt(4, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    static void advance(Connection c, long checkpointId, long cursor, int rows, LocalDateTime now) throws SQLException {
        Sql.update(c, "UPDATE backfill_checkpoints SET last_processed_id = ?, updated_at = ?,"
                + " rows_processed = rows_processed + ? WHERE id = ?", cursor, now, rows, checkpointId);
    }
}
