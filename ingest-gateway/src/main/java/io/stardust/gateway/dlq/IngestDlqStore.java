package io.stardust.gateway.dlq;

import io.stardust.engine.db.Sql;
import io.stardust.gateway.ingest.RecordPlanner.Rejected;
import io.stardust.gateway.ingest.SourceRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of {@code stardust_ingest_dlq}: quarantined records with their reason, origin and raw bytes. Inserts run
 * in the batch's transaction, next to the offsets that skip past the records, so a record is either written, or
 * quarantined, or will be consumed again: never skipped silently.
 */
public final class IngestDlqStore {
    /** TEXT holds 64 KiB; messages are cut well below that. */
    private static final int MESSAGE_CAP = 4000;

    private IngestDlqStore() {
    }

    public static void insert(Connection c, List<Rejected> rejected, LocalDateTime now) throws SQLException {
        if (rejected.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO stardust_ingest_dlq (reason, error_message, source_topic,"
                + " source_partition, source_offset, record_key, record_value, tenant_id, received_at, attempt_count,"
                + " last_attempt_at) VALUES ");
        for (int i = 0; i < rejected.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)");
        }
        // The same record quarantined again (an operator rewound the offsets): one row, one more attempt.
        sql.append(" ON DUPLICATE KEY UPDATE reason = VALUES(reason), error_message = VALUES(error_message),"
                + " attempt_count = attempt_count + 1, last_attempt_at = VALUES(last_attempt_at)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Rejected r : rejected) {
                SourceRecord s = r.source();
                ps.setString(p++, r.reason().code());
                ps.setString(p++, cap(r.message()));
                ps.setString(p++, s.topic());
                ps.setInt(p++, s.partition());
                ps.setLong(p++, s.offset());
                ps.setBytes(p++, s.key());
                ps.setBytes(p++, s.value());
                ps.setObject(p++, r.tenantId());
                ps.setObject(p++, now);
                ps.setObject(p++, now);
            }
            ps.executeUpdate();
        }
    }

    /** Rows matching the filter, oldest first; {@code lock} adds FOR UPDATE SKIP LOCKED (concurrent replays split the work). */
    public static List<DlqRow> select(Connection c, DlqFilter f, LocalDateTime now, boolean lock) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, reason, error_message, source_topic, source_partition, source_offset,"
                + " record_key, record_value, tenant_id, received_at, attempt_count, last_attempt_at FROM stardust_ingest_dlq WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!f.ids().isEmpty()) {
            sql.append(" AND id IN (").append(Sql.placeholders(f.ids().size())).append(')');
            args.addAll(f.ids());
        }
        if (f.reason() != null) {
            sql.append(" AND reason = ?");
            args.add(f.reason());
        }
        if (f.tenantId() != null) {
            sql.append(" AND tenant_id = ?");
            args.add(f.tenantId());
        }
        if (f.olderThan() != null) {
            sql.append(" AND received_at <= ?");
            args.add(now.minus(f.olderThan()));
        }
        if (f.maxAttempts() != null) {
            sql.append(" AND attempt_count < ?");
            args.add(f.maxAttempts());
        }
        sql.append(" ORDER BY id LIMIT ?");
        args.add(f.limit());
        if (lock) {
            sql.append(" FOR UPDATE SKIP LOCKED");
        }
        List<DlqRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long tenant = rs.getLong(9);
                    out.add(new DlqRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getLong(6), rs.getBytes(7), rs.getBytes(8), rs.wasNull() ? null : tenant,
                            rs.getObject(10, LocalDateTime.class), rs.getInt(11), rs.getObject(12, LocalDateTime.class)));
                }
            }
        }
        return out;
    }

    public static void delete(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stardust_ingest_dlq WHERE id IN (" + Sql.placeholders(ids.size()) + ")")) {
            Sql.bind(ps, ids);
            ps.executeUpdate();
        }
    }

    /** Records a failed replay attempt: the new reason and message, one more attempt. */
    public static void failedAttempt(Connection c, long id, Rejected r, LocalDateTime now) throws SQLException {
        Sql.update(c, "UPDATE stardust_ingest_dlq SET reason = ?, error_message = ?, tenant_id = COALESCE(?, tenant_id),"
                + " attempt_count = attempt_count + 1, last_attempt_at = ? WHERE id = ?",
                r.reason().code(), cap(r.message()), r.tenantId(), now, id);
    }

    private static String cap(String s) {
        return s == null || s.length() <= MESSAGE_CAP ? s : s.substring(0, MESSAGE_CAP) + "...";
    }
}
