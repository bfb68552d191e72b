package io.stardust.ingest.dlq;

import io.stardust.engine.db.Sql;
import io.stardust.engine.event.EventLog;
import io.stardust.ingest.failure.FailureKind;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import io.stardust.ingest.source.SourceRecord;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * SQL of {@code stardust_ingest_dlq}: quarantined records with their reason, origin and raw bytes. Inserts run
 * in the batch's transaction, next to the offsets that skip past the records, so a record is either written, or
 * quarantined, or will be consumed again: never skipped silently.
 *
 * <p>Every row fits, whatever the record holds: the key is stored up to {@link #KEY_CAP} bytes (the column's
 * size) and the value up to {@code valueCap} bytes ({@code gatewayMaxRecordBytes}, so every record that could
 * ever be written is stored whole); a longer part is stored as its prefix, and the original length and SHA-256 of
 * both parts are always stored. If MySQL still refuses a row (a data error, a statement over
 * {@code max_allowed_packet}, …), the row is inserted again in its minimal form, which certainly fits: origin,
 * reason, tenant, lengths and hashes, no key or value. A refused DLQ row therefore never blocks the batch, and
 * an outage is never mistaken for a refusal (it propagates, and the whole batch is retried).
 */
public final class IngestDlqStore {
    /** {@code record_key VARBINARY(4096)}. */
    public static final int KEY_CAP = 4096;
    /** TEXT holds 64 KiB; messages are cut well below that. */
    private static final int MESSAGE_CAP = 4000;
    /** Raw key and value bytes per multi-row INSERT, far below the default 64 MiB {@code max_allowed_packet}. */
    private static final long STATEMENT_BYTES = 4L << 20;
    private static final String COLUMNS = "reason, error_message, source_topic, source_partition, source_offset,"
            + " record_key, record_value, record_key_bytes, record_key_sha256, record_value_bytes, record_value_sha256,"
            + " tenant_id, received_at, attempt_count, last_attempt_at, import_id, import_line";
    private static final String SELECT = "SELECT id, reason, error_message, source_topic, source_partition, source_offset,"
            + " record_key, record_value, tenant_id, received_at, attempt_count, last_attempt_at, record_key_bytes,"
            + " record_key_sha256, record_value_bytes, record_value_sha256 FROM stardust_ingest_dlq";

    private final int valueCap;
    private final EventLog events = new EventLog("gateway");

    /** @param valueCap most value bytes stored ({@code gatewayMaxRecordBytes}) */
    public IngestDlqStore(int valueCap) {
        this.valueCap = valueCap;
    }

    /** One row as inserted: the stored parts (a prefix when longer than the cap, null in the minimal form). */
    private record Row(Rejected rejected, String message, byte[] key, byte[] value) {
        long bytes() {
            return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        }
    }

    public void insert(Connection c, List<Rejected> rejected, LocalDateTime now) throws SQLException {
        List<Row> chunk = new ArrayList<>();
        long bytes = 0;
        for (Rejected r : rejected) {
            Row row = new Row(r, cap(r.message()), prefix(r.source().key(), KEY_CAP), prefix(r.source().value(), valueCap));
            if (!chunk.isEmpty() && bytes + row.bytes() > STATEMENT_BYTES) {
                insertChunk(c, chunk, now);
                chunk.clear();
                bytes = 0;
            }
            chunk.add(row);
            bytes += row.bytes();
        }
        if (!chunk.isEmpty()) {
            insertChunk(c, chunk, now);
        }
    }

    /**
     * A refused statement is rolled back on its own (the transaction goes on), so the rows are tried one by one,
     * and a row refused alone goes in minimal.
     */
    private void insertChunk(Connection c, List<Row> rows, LocalDateTime now) throws SQLException {
        try {
            execute(c, rows, now);
            return;
        } catch (SQLException | RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.OUTAGE) {
                throw e;
            }
            if (rows.size() == 1) {
                insertMinimal(c, rows.get(0), e, now);
                return;
            }
        }
        for (Row row : rows) {
            try {
                execute(c, List.of(row), now);
            } catch (SQLException | RuntimeException e) {
                if (FailureKind.of(e) == FailureKind.OUTAGE) {
                    throw e;
                }
                insertMinimal(c, row, e, now);
            }
        }
    }

    private void insertMinimal(Connection c, Row refused, Throwable cause, LocalDateTime now) throws SQLException {
        SQLException s = Sql.sqlCause(cause);
        String why = (s == null ? cause.getClass().getSimpleName() : "SQLSTATE " + s.getSQLState()) + ": " + cause.getMessage();
        SourceRecord src = refused.rejected().source();
        events.warning("dlq_row_reduced", "topic", src.topic(), "partition", src.partition(), "offset", src.offset(),
                "reason", refused.rejected().reason().code(), "failure", FailureKind.of(cause).code(), "error", ascii(why, 500));
        // Printable ASCII only, and short: nothing in this row can be refused for its text.
        String message = ascii("MySQL refused the full DLQ row (" + why + "), so it holds no key or value, only their"
                + " lengths and SHA-256. Original error: " + refused.message(), 2000);
        execute(c, List.of(new Row(refused.rejected(), message, null, null)), now);
    }

    private static void execute(Connection c, List<Row> rows, LocalDateTime now) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO stardust_ingest_dlq (" + COLUMNS + ") VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)");
        }
        // The same record quarantined again (an operator rewound the offsets): one row, one more attempt.
        sql.append(" ON DUPLICATE KEY UPDATE reason = VALUES(reason), error_message = VALUES(error_message),"
                + " attempt_count = attempt_count + 1, last_attempt_at = VALUES(last_attempt_at)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Row row : rows) {
                Rejected r = row.rejected();
                SourceRecord s = r.source();
                ps.setString(p++, r.reason().code());
                ps.setString(p++, row.message());
                ps.setString(p++, s.topic());
                ps.setInt(p++, s.partition());
                ps.setLong(p++, s.offset());
                ps.setBytes(p++, row.key());
                ps.setBytes(p++, row.value());
                ps.setObject(p++, s.key() == null ? null : s.key().length);
                ps.setString(p++, sha256(s.key()));
                ps.setObject(p++, s.value() == null ? null : s.value().length);
                ps.setString(p++, sha256(s.value()));
                ps.setObject(p++, r.tenantId());
                ps.setObject(p++, now);
                ps.setObject(p++, now);
                ps.setString(p++, s.origin() == null ? null : s.origin().importId());
                ps.setObject(p++, s.origin() == null ? null : s.origin().line());
            }
            ps.executeUpdate();
        }
    }

    /** Rows matching the filter, oldest first; {@code lock} adds FOR UPDATE SKIP LOCKED (concurrent commands split the work). */
    public static List<DlqRow> select(Connection c, DlqFilter f, LocalDateTime now, boolean lock) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE 1 = 1");
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
                    out.add(new DlqRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getLong(6), rs.getBytes(7), rs.getBytes(8), rs.getObject(9, Long.class),
                            rs.getObject(10, LocalDateTime.class), rs.getInt(11), rs.getObject(12, LocalDateTime.class),
                            rs.getObject(13, Integer.class), rs.getString(14), rs.getObject(15, Integer.class), rs.getString(16)));
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

    /** Records a failed replay attempt: the new reason and message (and the tenant, if now known), one more attempt. */
    public static void failedAttempt(Connection c, long id, Rejected r, LocalDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE stardust_ingest_dlq SET reason = ?, error_message = ?,"
                + " tenant_id = COALESCE(?, tenant_id), attempt_count = attempt_count + 1, last_attempt_at = ? WHERE id = ?")) {
            ps.setString(1, r.reason().code());
            ps.setString(2, cap(r.message()));
            ps.setObject(3, r.tenantId());
            ps.setObject(4, now);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    /** Hex SHA-256 of the bytes, null for null. */
    public static String sha256(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] prefix(byte[] bytes, int cap) {
        return bytes == null || bytes.length <= cap ? bytes : Arrays.copyOf(bytes, cap);
    }

    private static String cap(String s) {
        return s == null || s.length() <= MESSAGE_CAP ? s : s.substring(0, MESSAGE_CAP) + "...";
    }

    private static String ascii(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }
}
