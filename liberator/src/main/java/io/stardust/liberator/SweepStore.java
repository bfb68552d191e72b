package io.stardust.liberator;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
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
 * The Liberator's SQL. Each method uses a pooled connection of its own; only
 * {@link #commitChunk} and {@link #recordGap} write, each as one transaction.
 */
public final class SweepStore {
    private final DataSource ds;

    public SweepStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Up to {@code limit} tombstoned slots, oldest tombstone first, then page and column, so the order is the same
     * across restarts. No locking: a worker sweeps a slot only under its page's advisory lock, re-reads it there,
     * and each chunk re-checks the status under a row lock.
     */
    public List<TombstonedSlot> loadBatch(int limit) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sa.id, sa.page_id, p.table_name, sa.slot_column,"
                     + " COALESCE(sa.sweep_cursor_id, 0) FROM stardust_slot_assignments sa"
                     + " JOIN stardust_pages p ON p.id = sa.page_id WHERE sa.status = 'tombstoned'"
                     + " ORDER BY sa.tombstoned_at ASC, sa.page_id ASC, sa.slot_column ASC LIMIT ?")) {
            ps.setInt(1, limit);
            List<TombstonedSlot> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TombstonedSlot(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5)));
                }
            }
            return out;
        }
    }

    /** The slot as it is now, if it is still tombstoned (another worker may have swept it meanwhile). */
    public Optional<TombstonedSlot> reload(long slotAssignmentId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sa.id, sa.page_id, p.table_name, sa.slot_column,"
                     + " COALESCE(sa.sweep_cursor_id, 0) FROM stardust_slot_assignments sa"
                     + " JOIN stardust_pages p ON p.id = sa.page_id WHERE sa.id = ? AND sa.status = 'tombstoned'")) {
            ps.setLong(1, slotAssignmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new TombstonedSlot(rs.getLong(1), rs.getInt(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5))) : Optional.empty();
            }
        }
    }

    /** The next {@code chunkSize} entry ids of the page after {@code cursor}, read outside any transaction. */
    public List<Long> nextIds(TombstonedSlot slot, long cursor, int chunkSize) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT entry_id FROM " + slot.tableName()
                     + " WHERE entry_id > ? ORDER BY entry_id LIMIT ?")) {
            ps.setLong(1, cursor);
            ps.setInt(2, chunkSize);
            List<Long> ids = new ArrayList<>(chunkSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /**
     * One transaction: lock the slot row and check it is still tombstoned, null the chunk's values (no tenant
     * predicate: one column belongs to one field), commit the cursor, and on the last chunk return the slot to
     * {@code free} with {@code field_id = NULL} and a schema-version bump (server clock, as upstream).
     *
     * <p>The slot row is locked first so a concurrent resurrection either waits for this chunk or makes it a
     * no-op; upstream checked the status only in the cursor UPDATE, after nulling a chunk of the live slot.
     */
    public ChunkCommitter.Result commitChunk(SweepChunk chunk) throws SQLException {
        TombstonedSlot slot = chunk.slot();
        try (Connection conn = ds.getConnection()) {
            return readCommitted(conn, () -> Tx.inTransaction(conn, c -> {
                if (!lockTombstoned(c, slot.slotAssignmentId())) {
                    return ChunkCommitter.Result.slotNotTombstoned();
                }
                int nulled = chunk.entryIds().isEmpty() ? 0 : nullValues(c, chunk);
                if (chunk.last()) {
                    Sql.update(c, "UPDATE stardust_slot_assignments SET sweep_cursor_id = ?, status = 'free',"
                            + " field_id = NULL WHERE id = ? AND status = 'tombstoned'",
                            chunk.newCursor(), slot.slotAssignmentId());
                    SchemaVersion.bumpServerSide(c);
                } else {
                    Sql.update(c, "UPDATE stardust_slot_assignments SET sweep_cursor_id = ?"
                            + " WHERE id = ? AND status = 'tombstoned'", chunk.newCursor(), slot.slotAssignmentId());
                }
                return ChunkCommitter.Result.committed(nulled);
            }));
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * READ COMMITTED for a chunk: the sweep locks the rows it nulls and no gaps, so API writers inserting page rows
     * meanwhile never wait for (or deadlock with) it.
     */
    private static <T> T readCommitted(Connection c, SqlWork<T> work) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
            return work.run();
        } finally {
            c.setTransactionIsolation(isolation);
        }
    }

    /**
     * Gap path: skip {@code (cursor, gapEnd]} and count the gap, status-guarded. False when the slot is no longer
     * tombstoned.
     */
    public boolean recordGap(TombstonedSlot slot, long gapEnd) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            return Tx.inTransaction(conn, c -> Sql.update(c, "UPDATE stardust_slot_assignments"
                            + " SET sweep_cursor_id = ?, sweep_gap_count = sweep_gap_count + 1"
                            + " WHERE id = ? AND status = 'tombstoned'", gapEnd, slot.slotAssignmentId()) == 1);
        }
    }

    private static boolean lockTombstoned(Connection c, long slotAssignmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM stardust_slot_assignments WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, slotAssignmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "tombstoned".equals(rs.getString(1));
            }
        }
    }

    /**
     * Nulls the column in the chunk's id range {@code (cursor, newCursor]} where it still holds a value; the count
     * is what was actually cleared. A primary-key range, not an {@code IN} list: the optimizer always reads it as a
     * range of the clustered index, whereas a list can be planned as a scan of the whole page (stale statistics),
     * locking every row. A page row that appeared inside the range after the ids were read is covered too.
     */
    private static int nullValues(Connection c, SweepChunk chunk) throws SQLException {
        TombstonedSlot slot = chunk.slot();
        String col = slot.slotColumn();
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + slot.tableName() + " SET " + col + " = NULL"
                + " WHERE entry_id > ? AND entry_id <= ? AND " + col + " IS NOT NULL")) {
            ps.setLong(1, chunk.cursor());
            ps.setLong(2, chunk.newCursor());
            return ps.executeUpdate();
        }
    }
}
