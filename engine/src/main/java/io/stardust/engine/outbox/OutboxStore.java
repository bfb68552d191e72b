package io.stardust.engine.outbox;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox of entry changes. Every write path (single write, update, delete, bulk, import,
 * keyed upserts and the Kafka gateway) records its events here inside its own transaction, so an event exists
 * iff its change committed: a rolled-back write leaves no row, and a crash after commit loses nothing. A relay
 * reads rows in id order, publishes them and deletes them once the broker acknowledged them.
 */
public final class OutboxStore {
    private OutboxStore() {
    }

    /** A change to record; the event id and the row id are assigned on insert. */
    public record Change(String type, long tenantId, int modelId, long entryId, String entryKey) {
    }

    /** One multi-row INSERT in the caller's transaction. */
    public static void record(Connection c, List<Change> changes, LocalDateTime committedAt) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO stardust_entry_events"
                + " (event_id, type, tenant_id, model_id, entry_id, entry_key, committed_at) VALUES ");
        for (int i = 0; i < changes.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Change ch : changes) {
                ps.setString(p++, UUID.randomUUID().toString());
                ps.setString(p++, ch.type());
                ps.setLong(p++, ch.tenantId());
                ps.setInt(p++, ch.modelId());
                ps.setLong(p++, ch.entryId());
                ps.setString(p++, ch.entryKey());
                ps.setObject(p++, committedAt);
            }
            ps.executeUpdate();
        }
    }

    /** The oldest unpublished events, in publication order. */
    public static List<OutboxEvent> pending(Connection c, int limit) throws SQLException {
        List<OutboxEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, event_id, type, tenant_id, model_id, entry_id, entry_key,"
                + " committed_at FROM stardust_entry_events ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                            rs.getLong(6), rs.getString(7), rs.getObject(8, LocalDateTime.class)));
                }
            }
        }
        return out;
    }

    /** Removes published events (auto-commit is fine: a crash before this only re-publishes them). */
    public static int delete(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stardust_entry_events WHERE id IN ("
                + Sql.placeholders(ids.size()) + ")")) {
            Sql.bind(ps, ids);
            return ps.executeUpdate();
        }
    }

    public static long backlog(Connection c) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_entry_events", 0);
    }
}
