package io.stardust.engine.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.DeclaredType;
import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.EntryQuery;
import io.stardust.SortSpec;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.json.Json;
import io.stardust.engine.read.SchemaSnapshot.FieldDescriptor;
import io.stardust.engine.slot.PageLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The two-query bounded read: a probe selects at most {@code pageSize + 1} ids in id order (the
 * extra one is the only "has more" signal; no COUNT, no OFFSET), then one fetch loads those rows with the slot
 * columns of requested, indexed-now fields. Memory per page is bounded by the page size. Every statement carries
 * the tenant predicate, and every page join matches {@code tenant_id} too.
 */
public final class EntryReader {
    private final DataSource ds;

    public EntryReader(DataSource ds) {
        this.ds = ds;
    }

    /**
     * A compiled filter: JOIN clauses, a WHERE predicate (null for none), its bound values in order, and the alias of
     * the joined page table that should drive the probe (null when there is no join).
     */
    public record FilterSql(String joins, String predicate, List<Object> bindings, String drivingPage) {
        public static final FilterSql NONE = new FilterSql("", null, List.of(), null);

        public FilterSql(String joins, String predicate, List<Object> bindings) {
            this(joins, predicate, bindings, null);
        }
    }

    public EntryPage list(EntryQuery q, SchemaSnapshot snapshot, FilterSql filter) {
        Long after = q.cursor() == null ? null : Cursors.decode(q.cursor(), q);
        return Tx.withConnection(ds, c -> {
            List<Long> ids = probe(c, q, snapshot, after, filter);
            boolean more = ids.size() > q.pageSize();
            if (more) {
                ids = ids.subList(0, q.pageSize());
            }
            List<Entry> rows = fetch(c, q, snapshot, ids);
            String next = more ? Cursors.encode(ids.get(ids.size() - 1), q) : null;
            return new EntryPage(rows, next, q.pageSize());
        });
    }

    /**
     * The probe's SQL text, exposed so tests can EXPLAIN exactly what runs.
     *
     * <p>With page joins, the page tables drive the join and the cursor and ordering use the driving page's
     * {@code entry_id} (equal to {@code entry_data.id} through the join). The reason is the optimizer: with the
     * filter's conditions on the page and the ordering on {@code entry_data}, MySQL cannot see the filter's
     * selectivity when it weighs "walk entry_data in id order until LIMIT rows match" against "read the matches
     * through the slot index, then sort", and it picks the former for selective filters (a scan of the model's rows,
     * measured at hundreds of ms where the index takes about one), or materialises and sorts the whole join. Keeping
     * conditions and ordering on one table lets it plan the probe exactly like a query on a plain indexed table:
     * slot index for selective filters, entry-id order for unselective ones. {@code JOIN_SUFFIX(entry_data)} keeps
     * {@code entry_data} (which has no slot indexes) from driving; an unknown hint is only a warning.
     * {@code NO_INDEX_MERGE(pK PRIMARY)}: on a v2 page MySQL otherwise intersects an exact slot index with the primary
     * key's range for the cursor bound, which loses the index's entry-id order and sorts every match.
     */
    public static String probeSql(FilterSql filter) {
        String key = filter.drivingPage() == null ? "entry_data.id" : filter.drivingPage() + ".entry_id";
        return "SELECT " + (filter.drivingPage() == null ? ""
                        : "/*+ JOIN_SUFFIX(entry_data) NO_INDEX_MERGE(" + filter.drivingPage() + " PRIMARY) */ ")
                + "entry_data.id FROM entry_data" + (filter.joins().isEmpty() ? "" : " " + filter.joins())
                + " WHERE entry_data.tenant_id = ? AND entry_data.model_id = ? AND entry_data.deleted_at IS NULL"
                + " AND " + key + " > ?" + (filter.predicate() == null ? "" : " AND " + filter.predicate())
                + " ORDER BY " + key + " ASC LIMIT ?";
    }

    public static List<Object> probeBindings(EntryQuery q, long after, FilterSql filter) {
        List<Object> b = new ArrayList<>();
        b.add(q.tenantId());
        b.add(q.modelId());
        b.add(after);
        b.addAll(filter.bindings());
        b.add(q.pageSize() + 1);
        return b;
    }

    private static List<Long> probe(Connection c, EntryQuery q, SchemaSnapshot snapshot, Long after, FilterSql filter)
            throws SQLException {
        SortSpec sort = q.sort();
        String sql;
        List<Object> bindings;
        if (!sort.descending() && sort.key().equals(SortSpec.ID)) {
            sql = probeSql(filter);
            bindings = probeBindings(q, after == null ? 0 : after, filter);
        } else {
            SortedProbe sorted = SortedProbe.of(c, q, snapshot, after, filter);
            sql = sorted.sql();
            bindings = sorted.bindings();
        }
        List<Long> ids = new ArrayList<>(q.pageSize() + 1);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, bindings);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<Entry> fetch(Connection c, EntryQuery q, SchemaSnapshot snapshot, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> requested = q.selectFields() != null ? q.selectFields()
                : snapshot.fields().stream().map(FieldDescriptor::name).toList();
        Map<String, String> pageAliases = new LinkedHashMap<>();
        Map<String, String> slotAliases = new LinkedHashMap<>(); // field name -> column alias
        StringBuilder select = new StringBuilder("SELECT entry_data.id, entry_data.tenant_id, entry_data.model_id,"
                + " entry_data.created_at, entry_data.deleted_at");
        StringBuilder joins = new StringBuilder();
        for (String name : requested) {
            FieldDescriptor f = snapshot.field(name);
            if (f == null || !f.indexedNow() || slotAliases.containsKey(name)) {
                continue;
            }
            String table = PageLayout.requirePageTable(f.table());
            String alias = pageAliases.computeIfAbsent(table, t -> {
                String a = "p" + pageAliases.size();
                joins.append(" LEFT JOIN ").append(t).append(' ').append(a).append(" ON ").append(a)
                        .append(".entry_id = entry_data.id AND ").append(a).append(".tenant_id = entry_data.tenant_id");
                return a;
            });
            String column = "f_" + f.fieldId();
            select.append(", ").append(alias).append('.').append(PageLayout.requireColumn(f.slotColumn())).append(" AS ").append(column);
            slotAliases.put(name, column);
        }
        // The payload is read and parsed only for fields that are not served from a slot.
        boolean needsPayload = requested.stream().anyMatch(name -> !slotAliases.containsKey(name));
        if (needsPayload) {
            select.append(", entry_data.fields");
        }
        String sql = select + " FROM entry_data" + joins + " WHERE entry_data.id IN (" + Sql.placeholders(ids.size())
                + ") AND entry_data.tenant_id = ? ORDER BY entry_data.id";
        Map<Long, Entry> byId = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            List<Object> b = new ArrayList<>(ids);
            b.add(q.tenantId());
            Sql.bind(ps, b);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode payload = needsPayload ? payloadOf(rs.getString("fields")) : null;
                    ObjectNode fields = JsonNodeFactory.instance.objectNode();
                    for (String name : requested) {
                        String alias = slotAliases.get(name);
                        fields.set(name, alias != null ? slotValue(rs, alias) : jsonValue(payload, name, snapshot.field(name)));
                    }
                    byId.put(rs.getLong("id"), new Entry(rs.getLong("id"), rs.getLong("tenant_id"), rs.getInt("model_id"), fields,
                            Sql.dateTime(rs, "created_at"), Sql.dateTime(rs, "deleted_at")));
                }
            }
        }
        List<Entry> rows = new ArrayList<>(ids.size());
        for (long id : ids) { // the probe's order, which is the sort's
            Entry e = byId.get(id);
            if (e != null) {
                rows.add(e);
            }
        }
        return rows;
    }

    /** Point read: the whole stored payload, or null when missing, foreign or deleted. */
    public Entry get(long tenantId, long entryId) {
        return Tx.withConnection(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant_id, model_id, created_at, deleted_at, fields"
                    + " FROM entry_data WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL AND NOT EXISTS"
                    + " (SELECT 1 FROM stardust_models m WHERE m.id = entry_data.model_id AND m.deleted_at IS NOT NULL)")) {
                ps.setLong(1, entryId);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    JsonNode payload = payloadOf(rs.getString("fields"));
                    ObjectNode fields = payload.isObject() ? canonical(c, rs.getInt("model_id"), (ObjectNode) payload)
                            : JsonNodeFactory.instance.objectNode();
                    return new Entry(rs.getLong("id"), rs.getLong("tenant_id"), rs.getInt("model_id"), fields,
                            Sql.dateTime(rs, "created_at"), Sql.dateTime(rs, "deleted_at"));
                }
            }
        });
    }

    private static JsonNode payloadOf(String text) {
        return text == null ? JsonNodeFactory.instance.objectNode() : Json.parseStored(text);
    }

    /** The payload's value, under the field's old name while its rename is still rewriting payloads. */
    private static JsonNode jsonValue(JsonNode payload, String name, FieldDescriptor field) {
        JsonNode v = payload.isObject() ? payload.get(name) : null;
        if (v == null && field != null && field.previousName() != null && payload.isObject()) {
            v = payload.get(field.previousName());
        }
        if (v == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return field == null ? v : StoredValues.render(field.type(), v);
    }

    /**
     * A whole stored payload as readers see it: keys of fields being renamed appear under their new names, keys of
     * fields being deleted do not appear, values of registered fields are rendered by {@link StoredValues}, other keys
     * appear as stored.
     */
    private static ObjectNode canonical(Connection c, int modelId, ObjectNode payload) throws SQLException {
        Map<String, String> renamed = new LinkedHashMap<>();
        Set<String> deleted = new HashSet<>();
        Map<String, DeclaredType> types = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT previous_name, name, deleted_at IS NOT NULL, declared_type"
                + " FROM stardust_fields WHERE model_id = ?")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(3)) {
                        deleted.add(rs.getString(2));
                        continue;
                    }
                    types.put(rs.getString(2), DeclaredType.parse(rs.getString(4)));
                    if (rs.getString(1) != null) {
                        renamed.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        payload.fields().forEachRemaining(e -> {
            String target = renamed.getOrDefault(e.getKey(), e.getKey());
            if (deleted.contains(e.getKey()) || (!target.equals(e.getKey()) && payload.has(target))) {
                return;
            }
            DeclaredType type = types.get(target);
            out.set(target, type == null ? e.getValue() : StoredValues.render(type, e.getValue()));
        });
        return out;
    }

    private static JsonNode slotValue(ResultSet rs, String alias) throws SQLException {
        return StoredValues.of(rs.getObject(alias));
    }
}
