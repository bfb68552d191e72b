package io.stardust.engine.outbox;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox of entry changes. Every write path (single write, update, delete, bulk, import,
 * keyed upserts and the Kafka gateway) records its events here inside its own transaction, so an event exists
 * iff its change committed: a rolled-back write leaves no row, and a crash after commit loses nothing. A relay
 * reads rows in id order, publishes their events and deletes the rows once the broker acknowledged them.
 *
 * <p>One row per {@link #record} call, not per event: a single change is a row of its own columns (as before
 * this layout existed, so rows written by older versions read the same); several changes, or any change with an
 * after-image, are one row whose {@code events} column packs them all ({@link PackedEvents}) and whose own
 * columns repeat the first one. A 2,000-record gateway batch is then one outbox row to insert and one to delete
 * instead of 2,000 of each (measured: the two cost about a quarter of the batch's statement time).
 */
public final class OutboxStore {
    private OutboxStore() {
    }

    /**
     * A change to record; the event id and the row id are assigned on insert. {@code fieldsJson}: the entry's
     * stored {@code fields} JSON after the change, to publish as its after-image; null = no after-image.
     * {@code origin}: the file-import line it came from; null = none.
     */
    public record Change(String type, long tenantId, int modelId, long entryId, String entryKey, String fieldsJson,
                         ImportOrigin origin) {
        public Change(String type, long tenantId, int modelId, long entryId, String entryKey) {
            this(type, tenantId, modelId, entryId, entryKey, null, null);
        }

        public Change(String type, long tenantId, int modelId, long entryId, String entryKey, String fieldsJson) {
            this(type, tenantId, modelId, entryId, entryKey, fieldsJson, null);
        }
    }

    /** One single-row INSERT in the caller's transaction, whatever the number of changes. */
    public static void record(Connection c, List<Change> changes, LocalDateTime committedAt) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Change first = changes.get(0);
        boolean packed = changes.size() > 1 || first.fieldsJson() != null || first.origin() != null;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_entry_events"
                + " (event_id, type, tenant_id, model_id, entry_id, entry_key, committed_at, event_count, events)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, first.type());
            ps.setLong(3, first.tenantId());
            ps.setInt(4, first.modelId());
            ps.setLong(5, first.entryId());
            ps.setString(6, first.entryKey());
            ps.setObject(7, committedAt);
            ps.setInt(8, changes.size());
            ps.setBytes(9, packed ? PackedEvents.pack(changes) : null);
            ps.executeUpdate();
        }
    }

    /**
     * The oldest unpublished events, in publication order: whole rows, as many as hold about {@code limit} events
     * (at least one row, so a row with more events than {@code limit} is still read).
     */
    public static List<OutboxEvent> pending(Connection c, int limit) throws SQLException {
        return pending(c, limit, List.of());
    }

    /**
     * Like {@link #pending(Connection, int)}, leaving out the rows {@code published} names: rows a relay already
     * published and has not deleted yet. (Not a "greater than the last id published" watermark: ids are assigned at
     * insert, not at commit, so a row with a smaller id can commit after a larger one was already read.)
     */
    public static List<OutboxEvent> pending(Connection c, int limit, Collection<Long> published) throws SQLException {
        long last = -1;
        long counted = 0;
        String skip = published.isEmpty() ? "" : " WHERE id NOT IN (" + Sql.placeholders(published.size()) + ")";
        // The counts alone first (the packed column is not read), so only the rows to publish are fetched whole.
        try (PreparedStatement ps = c.prepareStatement("SELECT id, event_count FROM stardust_entry_events" + skip
                + " ORDER BY id LIMIT ?")) {
            int i = bind(ps, published);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && counted < limit) {
                    last = rs.getLong(1);
                    counted += rs.getInt(2);
                }
            }
        }
        List<OutboxEvent> out = new ArrayList<>();
        if (last < 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, event_id, type, tenant_id, model_id, entry_id, entry_key,"
                + " committed_at, events FROM stardust_entry_events WHERE id <= ?"
                + (published.isEmpty() ? "" : " AND id NOT IN (" + Sql.placeholders(published.size()) + ")") + " ORDER BY id")) {
            ps.setLong(1, last);
            int i = 2;
            for (long id : published) {
                ps.setLong(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String eventId = rs.getString(2);
                    LocalDateTime at = rs.getObject(8, LocalDateTime.class);
                    byte[] events = rs.getBytes(9);
                    if (events == null) {
                        out.add(new OutboxEvent(id, eventId, rs.getString(3), rs.getLong(4), rs.getInt(5), rs.getLong(6),
                                rs.getString(7), at, null, null));
                    } else {
                        PackedEvents.unpack(events, id, UUID.fromString(eventId), at, out);
                    }
                }
            }
        }
        return out;
    }

    /** Removes published rows by outbox id (auto-commit is fine: a crash before this only re-publishes them). */
    public static int delete(Connection c, List<Long> ids) throws SQLException {
        List<Long> distinct = ids.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stardust_entry_events WHERE id IN ("
                + Sql.placeholders(distinct.size()) + ")")) {
            Sql.bind(ps, distinct);
            return ps.executeUpdate();
        }
    }

    /** Unpublished events (not rows). */
    public static long backlog(Connection c) throws SQLException {
        return backlog(c, List.of());
    }

    /** Events (not rows) in the outbox but for the rows {@code published} names. */
    public static long backlog(Connection c, Collection<Long> published) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(event_count), 0) FROM stardust_entry_events"
                + (published.isEmpty() ? "" : " WHERE id NOT IN (" + Sql.placeholders(published.size()) + ")"))) {
            bind(ps, published);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Binds the ids from parameter 1 on; returns the next parameter index. */
    private static int bind(PreparedStatement ps, Collection<Long> ids) throws SQLException {
        int i = 1;
        for (long id : ids) {
            ps.setLong(i++, id);
        }
        return i;
    }
}
