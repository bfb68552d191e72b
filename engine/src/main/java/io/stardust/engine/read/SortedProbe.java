package io.stardust.engine.read;

import io.stardust.EntryQuery;
import io.stardust.InvalidCursorException;
import io.stardust.SortSpec;
import io.stardust.engine.read.EntryReader.FilterSql;
import io.stardust.engine.read.SchemaSnapshot.FieldDescriptor;
import io.stardust.engine.slot.PageLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe of a read in an order other than entry id ascending: keyset pagination on (sort value, entry id), the
 * id breaking ties in the sort's direction. The cursor holds only the last entry's id; its sort value is read here
 * (the anchor). MySQL sorts NULL first ascending and last descending, which is the order {@link SortSpec} promises
 * for entries without a value; the keyset condition spells out both sides of the NULL boundary. A field sort reads
 * the field's slot through a LEFT JOIN of its page (an entry with no row on the page has no value).
 */
record SortedProbe(String sql, List<Object> bindings) {
    private static final String SORT_ALIAS = "sp";

    static SortedProbe of(Connection c, EntryQuery q, SchemaSnapshot snapshot, Long after, FilterSql filter)
            throws SQLException {
        SortSpec sort = q.sort();
        boolean desc = sort.descending();
        String dir = desc ? " DESC" : " ASC";
        String cmp = desc ? " < " : " > ";
        String sortJoin = "";
        String value;
        String anchorSql;
        if (sort.key().equals(SortSpec.ID)) {
            value = null;
            anchorSql = null;
        } else if (sort.key().equals(SortSpec.CREATED_AT)) {
            value = "entry_data.created_at";
            anchorSql = "SELECT created_at FROM entry_data WHERE id = ? AND tenant_id = ?";
        } else {
            FieldDescriptor f = snapshot.field(sort.key());
            if (f == null || !f.indexedNow()) {
                throw new IllegalStateException("sort on '" + sort.key() + "' was not checked"); // SearchService checks it
            }
            String table = PageLayout.requirePageTable(f.table());
            String column = PageLayout.requireColumn(f.slotColumn());
            value = SORT_ALIAS + "." + column;
            sortJoin = " LEFT JOIN " + table + " " + SORT_ALIAS + " ON " + SORT_ALIAS + ".entry_id = entry_data.id AND "
                    + SORT_ALIAS + ".tenant_id = entry_data.tenant_id";
            anchorSql = "SELECT (SELECT " + column + " FROM " + table + " WHERE entry_id = e.id AND tenant_id = e.tenant_id)"
                    + " FROM entry_data e WHERE e.id = ? AND e.tenant_id = ?";
        }
        List<Object> b = new ArrayList<>();
        b.add(q.tenantId());
        b.add(q.modelId());
        StringBuilder keyset = new StringBuilder();
        if (after != null) {
            if (value == null) {
                keyset.append(" AND entry_data.id").append(cmp).append('?');
                b.add(after);
            } else {
                Object anchor = anchor(c, anchorSql, after, q.tenantId());
                if (anchor == null && !desc) {
                    // the nulls come first: more nulls after this id, then every value
                    keyset.append(" AND ((").append(value).append(" IS NULL AND entry_data.id > ?) OR ").append(value).append(" IS NOT NULL)");
                    b.add(after);
                } else if (anchor == null) {
                    // descending, the nulls come last: only more nulls, below this id
                    keyset.append(" AND ").append(value).append(" IS NULL AND entry_data.id < ?");
                    b.add(after);
                } else {
                    keyset.append(" AND (").append(value).append(cmp).append("? OR (").append(value)
                            .append(" = ? AND entry_data.id").append(cmp).append("?)").append(desc ? " OR " + value + " IS NULL" : "").append(')');
                    b.add(anchor);
                    b.add(anchor);
                    b.add(after);
                }
            }
        }
        b.addAll(filter.bindings());
        b.add(q.pageSize() + 1);
        String sql = "SELECT entry_data.id FROM entry_data" + sortJoin + (filter.joins().isEmpty() ? "" : " " + filter.joins())
                + " WHERE entry_data.tenant_id = ? AND entry_data.model_id = ? AND entry_data.deleted_at IS NULL" + keyset
                + (filter.predicate() == null ? "" : " AND " + filter.predicate())
                + " ORDER BY " + (value == null ? "" : value + dir + ", ") + "entry_data.id" + dir + " LIMIT ?";
        return new SortedProbe(sql, b);
    }

    /** The sort value of the cursor's entry now; a cursor whose entry is gone cannot be continued. */
    private static Object anchor(Connection c, String sql, long entryId, long tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, entryId);
            ps.setLong(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InvalidCursorException("Cursor decode failed: entry " + entryId
                            + " the cursor continues from no longer exists; start again without a cursor");
                }
                return rs.getObject(1);
            }
        }
    }
}
