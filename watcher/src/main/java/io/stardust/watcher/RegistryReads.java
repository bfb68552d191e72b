package io.stardust.watcher;

import io.stardust.DeclaredType;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.slot.IndexedSlot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** The Watcher's two registry reads: capacity and pending demand. Lock-free. */
public final class RegistryReads {
    private final DataSource ds;

    public RegistryReads(DataSource ds) {
        this.ds = ds;
    }

    /**
     * One aggregate over every slot row joined to its page, the indexed predicate evaluated once per slot, plus the
     * number of pages with slot rows.
     */
    public CapacitySnapshot capacity() {
        return Tx.withConnection(ds, c -> {
            Map<String, FamilyCapacity> families = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT slot_type, COUNT(*), SUM(status = 'free'),"
                    + " SUM(indexed), SUM(indexed AND status = 'free') FROM (SELECT sa.slot_type, sa.status, "
                    + IndexedSlot.predicate("sa", "p") + " AS indexed FROM stardust_slot_assignments sa"
                    + " JOIN stardust_pages p ON p.id = sa.page_id) s GROUP BY slot_type");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    families.put(rs.getString(1), new FamilyCapacity(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            int pages = (int) Sql.queryLong(c, "SELECT COUNT(DISTINCT page_id) FROM stardust_slot_assignments", 0);
            return new CapacitySnapshot(families, pages);
        });
    }

    /**
     * Filterable fields without a live slot, per family, families in alphabetical order, zero counts omitted. A
     * field whose only slot is tombstoned is demand; a field holding an unindexed live slot is not.
     */
    public Map<String, Integer> pendingDemand() {
        return Tx.withConnection(ds, c -> {
            Map<String, Integer> demand = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.declared_type, COUNT(*) FROM stardust_fields f"
                    + " WHERE f.is_filterable = 1 AND NOT EXISTS (SELECT 1 FROM stardust_slot_assignments sa"
                    + " WHERE sa.field_id = f.id AND sa.status IN ('assigned', 'backfilling', 'ready'))"
                    + " GROUP BY f.declared_type");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(2);
                    if (n > 0) {
                        demand.merge(DeclaredType.parse(rs.getString(1)).family(), n, Integer::sum);
                    }
                }
            }
            return demand;
        });
    }
}
