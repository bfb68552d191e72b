package io.stardust.engine.slot;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Creates the next {@code entry_slots_page_N} and its 60 free slot rows.
 *
 * <p>Crash behaviour, step by step: the DDL auto-commits on its own; if the process dies after it and before the
 * registry transaction commits, an empty orphan table remains and no slot inventory exists. The next attempt
 * computes the same N, finds the orphan, and (fix for upstream quirk Q22) rebuilds it if its index set differs
 * from what is now requested. The registry transaction (page row, 60 slot rows, version bump) is all or nothing.
 * The provisioner takes no lock; callers that may race (the Watcher, {@code ensureSlots}) hold the {@code stardust_page_provision}
 * advisory lock.
 */
public final class PageProvisioner {
    /** The advisory lock every provisioner that may race (Watcher, {@code ensureSlots}) holds. */
    public static final String LOCK_NAME = "stardust_page_provision";

    private final DataSource ds;
    private final UtcClock clock;
    private final String identity;
    private final EventLog events = new EventLog("registry");

    public PageProvisioner(DataSource ds, UtcClock clock, String identity) {
        this.ds = ds;
        this.clock = clock;
        this.identity = identity;
    }

    /**
     * Provisions a page of the current layout ({@link PageLayout#CURRENT}) whose named slot columns get
     * {@code (tenant_id, slot)} indexes; returns its page id.
     */
    public int provision(List<?> filterableSlots) {
        return provision(filterableSlots, PageLayout.CURRENT);
    }

    /** As {@link #provision(List)}, with an explicit layout (1 only for tests of pages created before v2). */
    public int provision(List<?> filterableSlots, int layoutVersion) {
        PageLayout.requireLayout(layoutVersion);
        List<String> filterable = validate(filterableSlots);
        try (Connection c = ds.getConnection()) {
            int pageId = (int) Sql.queryLong(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM stardust_pages", 1);
            String table = PageLayout.tableName(pageId);
            prepareTable(c, table, filterable, layoutVersion);
            Tx.inTransaction(c, tx -> {
                var now = clock.now();
                Sql.update(tx, "INSERT INTO stardust_pages (id, table_name, provisioned_at, provisioned_by, layout_version)"
                        + " VALUES (?, ?, ?, ?, ?)", pageId, table, now, identity, layoutVersion);
                insertInventory(tx, pageId, now);
                SchemaVersion.bump(tx, now);
                return null;
            });
            events.info("page_provisioned", "page_id", pageId, "table_name", table, "filterable_slots", filterable,
                    "layout_version", layoutVersion);
            return pageId;
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    static List<String> validate(List<?> slots) {
        Set<String> out = new LinkedHashSet<>();
        for (Object o : slots) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("filterable slot names must be strings; got (non-string)");
            }
            if (!PageLayout.isColumn(s)) {
                throw new IllegalArgumentException("unknown slot column '" + s + "'; expected one of i_str_01..i_str_25, "
                        + "i_int_01..i_int_15, i_num_01..i_num_10, i_dt_01..i_dt_10");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private void prepareTable(Connection c, String table, List<String> filterable, int layoutVersion) throws SQLException {
        if (tableExists(c, table)) {
            // An orphan from a crash between DDL and registry commit: keep it only if it is exactly what we want.
            if (!indexedColumns(c, table).equals(new HashSet<>(filterable)) || layoutOf(c, table) != keyedLayout(filterable, layoutVersion)) {
                EmptyTableGuard.requireEmpty(c, table);
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + PageLayout.requirePageTable(table));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(PageLayout.createTableDdl(table, filterable, layoutVersion));
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                0, table) > 0;
    }

    /** The slots with an index, whether on the slot itself (v1) or on its v2 key column. */
    static Set<String> indexedColumns(Connection c, String table) throws SQLException {
        Set<String> cols = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND (COLUMN_NAME LIKE 'i\\_%' OR COLUMN_NAME LIKE 'k\\_%')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(PageLayout.slotOfKeyColumn(rs.getString(1)));
                }
            }
        }
        return cols;
    }

    /** The layout a table shows: one without a string index looks the same in both layouts. */
    private static int keyedLayout(List<String> filterable, int layoutVersion) {
        return filterable.stream().anyMatch(s -> "str".equals(PageLayout.familyOf(s))) ? layoutVersion : PageLayout.V1;
    }

    /** An existing table's layout: 2 iff it has a v2 key column (a page without string indexes reads as 1). */
    private static int layoutOf(Connection c, String table) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = ? AND COLUMN_NAME LIKE 'k\\_%'", 0, table) > 0 ? PageLayout.V2 : PageLayout.V1;
    }

    private static void insertInventory(Connection c, int pageId, java.time.LocalDateTime now) throws SQLException {
        List<Object> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder(
                "INSERT INTO stardust_slot_assignments (page_id, slot_column, slot_type, status, updated_at) VALUES ");
        for (int i = 0; i < PageLayout.COLUMNS.size(); i++) {
            String col = PageLayout.COLUMNS.get(i);
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, 'free', ?)");
            values.add(pageId);
            values.add(col);
            values.add(PageLayout.familyOf(col));
            values.add(now);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, values);
            ps.executeUpdate();
        }
    }
}
