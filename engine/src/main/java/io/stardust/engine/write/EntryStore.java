package io.stardust.engine.write;

import io.stardust.engine.db.Sql;
import io.stardust.engine.outbox.ImportOrigin;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.engine.slot.PageLayout;
import io.stardust.engine.write.PlannedEntry.PageWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the write path, batched: one multi-row INSERT into {@code entry_data} per batch, one multi-row
 * upsert per (page, column set), one multi-row INSERT into the sync queue and one outbox row for the batch's events. Runs
 * inside the caller's transaction; it never commits, so a batch is all or nothing, events included.
 */
public final class EntryStore {
    private EntryStore() {
    }

    /**
     * Inserts the entries, their slot rows, queue rows and {@code created} outbox events; returns the new ids in
     * input order.
     */
    public static List<Long> insert(Connection c, List<PlannedEntry> entries, LocalDateTime now) throws SQLException {
        return insert(c, entries, now, false);
    }

    /** As {@link #insert(Connection, List, LocalDateTime)}; {@code afterImages}: each event carries the stored fields. */
    public static List<Long> insert(Connection c, List<PlannedEntry> entries, LocalDateTime now, boolean afterImages)
            throws SQLException {
        return insert(c, entries, null, now, afterImages);
    }

    /** As {@link #insert(Connection, List, LocalDateTime, boolean)}; {@code origins} (or null): each event's import line. */
    static List<Long> insert(Connection c, List<PlannedEntry> entries, List<ImportOrigin> origins, LocalDateTime now,
                             boolean afterImages) throws SQLException {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<String> json = new ArrayList<>(entries.size());
        for (PlannedEntry e : entries) {
            json.add(e.json());
        }
        List<Long> ids = insertEntryRows(c, entries, json, now);
        writeSlots(c, entries, ids, false);
        List<Long> queued = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).needsBackfill()) {
                queued.add(ids.get(i));
            }
        }
        enqueue(c, queued, now);
        List<OutboxStore.Change> events = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            PlannedEntry e = entries.get(i);
            events.add(new OutboxStore.Change(OutboxEvent.CREATED, e.tenantId(), e.modelId(), ids.get(i), e.entryKey(),
                    afterImages ? json.get(i) : null, origins == null ? null : origins.get(i)));
        }
        OutboxStore.record(c, events, now);
        return ids;
    }

    private static List<Long> insertEntryRows(Connection c, List<PlannedEntry> entries, List<String> json, LocalDateTime now)
            throws SQLException {
        // One single-row statement run as a JDBC batch: with rewriteBatchedStatements (Pools) the driver sends it
        // as multi-row INSERTs. Building the multi-row SQL text ourselves was measured to spend most of the
        // writer's CPU in the driver's client-side parse of that text (thousands of placeholders, every batch).
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields)"
                + " VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < entries.size(); i++) {
                PlannedEntry e = entries.get(i);
                ps.setLong(1, e.tenantId());
                ps.setInt(2, e.modelId());
                ps.setObject(3, now);
                ps.setObject(4, now);
                ps.setString(5, json.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
            List<Long> ids = new ArrayList<>(entries.size());
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
            if (ids.size() != entries.size()) {
                throw new SQLException("expected " + entries.size() + " generated ids, got " + ids.size());
            }
            return ids;
        }
    }

    /** Upserts each entry's page rows; entries with the same page and column set share one statement. */
    public static void upsertSlots(Connection c, List<PlannedEntry> entries, List<Long> ids) throws SQLException {
        writeSlots(c, entries, ids, true);
    }

    /**
     * A page table and the slot columns a statement sets on it, in binding order: a List, because entries may
     * plan the same columns in another order (their payloads' field order), and rows are bound by position.
     */
    private record Shape(String table, List<String> columns) {
    }

    /**
     * {@code upsert} false: the entries were inserted by this transaction, so their page rows cannot exist yet (ids
     * come from AUTO_INCREMENT and are never reused) and a plain INSERT does, without the duplicate-key clause.
     */
    private static void writeSlots(Connection c, List<PlannedEntry> entries, List<Long> ids, boolean upsert) throws SQLException {
        Map<Shape, List<Object[]>> groups = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            for (PageWrite page : entries.get(i).pages()) {
                Object[] row = new Object[page.columns().size() + 2];
                row[0] = ids.get(i);
                row[1] = entries.get(i).tenantId();
                int p = 2;
                for (Object v : page.columns().values()) {
                    row[p++] = v;
                }
                groups.computeIfAbsent(new Shape(page.table(), List.copyOf(page.columns().keySet())), k -> new ArrayList<>()).add(row);
            }
        }
        for (Map.Entry<Shape, List<Object[]>> g : groups.entrySet()) {
            write(c, g.getKey(), g.getValue(), upsert);
        }
    }

    private static void write(Connection c, Shape shape, List<Object[]> rows, boolean upsert) throws SQLException {
        List<String> columns = new ArrayList<>(shape.columns());
        columns.forEach(PageLayout::requireColumn);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(PageLayout.requirePageTable(shape.table()))
                .append(" (entry_id, tenant_id");
        columns.forEach(col -> sql.append(", ").append(col));
        sql.append(") VALUES (").append(Sql.placeholders(columns.size() + 2)).append(')');
        if (upsert) {
            // VALUES() is deprecated from 8.0.20 but is the form 8.0.13 understands; it still works on 8.x.
            sql.append(" ON DUPLICATE KEY UPDATE tenant_id = VALUES(tenant_id)");
            columns.forEach(col -> sql.append(", ").append(col).append(" = VALUES(").append(col).append(')'));
        }
        // A JDBC batch of the single-row statement, sent as multi-row statements (see insertEntryRows).
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (Object[] row : rows) {
                ps.setLong(1, (Long) row[0]);
                ps.setLong(2, (Long) row[1]);
                for (int p = 2; p < row.length; p++) {
                    ps.setObject(p + 1, row[p]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static void enqueue(Connection c, List<Long> entryIds, LocalDateTime now) throws SQLException {
        if (entryIds.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO stardust_sync_queue (entry_id, created_at) VALUES ");
        for (int i = 0; i < entryIds.size(); i++) {
            sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Long id : entryIds) {
                ps.setLong(p++, id);
                ps.setObject(p++, now);
            }
            ps.executeUpdate();
        }
    }
}
