package io.stardust.reconciler;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** The one query that turns a {@link DlqFilter} into {@code stardust_reconciler_dlq} rows, oldest first. */
final class DlqRows {
    private DlqRows() {
    }

    /** The selected rows; with {@code lock}, {@code FOR UPDATE} (inside the caller's transaction). */
    static List<DlqEntry> select(Connection c, DlqFilter filter, LocalDateTime now, boolean lock) throws SQLException {
        List<Object> binds = new ArrayList<>();
        String sql = "SELECT " + DlqEntry.COLUMNS + " FROM stardust_reconciler_dlq WHERE " + filter.where(now, binds)
                + filter.orderAndLimit() + (lock ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, binds);
            List<DlqEntry> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(DlqEntry.read(rs));
                }
            }
            return rows;
        }
    }

    /** Point deletes: an IN list may be planned as a scan, which would lock rows Reconcilers are inserting. */
    static void delete(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stardust_reconciler_dlq WHERE id = ?")) {
            for (Long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
