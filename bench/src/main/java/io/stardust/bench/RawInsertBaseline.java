package io.stardust.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.kit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The floor MySQL sets for ingesting entries: the same rows written straight into {@code entry_data} and one
 * slot-page row each (the page indexed on the slot columns, as the engine provisions it), by multi-row INSERTs
 * of 2000 rows, one transaction each, on one connection. No keys, no outbox, no offsets, no parsing.
 */
public final class RawInsertBaseline {
    private static final int CHUNK = 2000;

    /** One entry as the raw insert writes it: its tenant, its {@code fields} JSON and its slot columns' values. */
    public record Row(long tenantId, String fieldsJson, List<Object> slotValues) {
    }

    private final EmbeddedMySql mysql;
    private final String database;
    private final List<String> slotColumns;

    private RawInsertBaseline(EmbeddedMySql mysql, String database, List<String> slotColumns) {
        this.mysql = mysql;
        this.database = database;
        this.slotColumns = List.copyOf(slotColumns);
    }

    /** Re-creates {@code database}, bootstraps the StarDust schema and provisions page 1 indexed on {@code slotColumns}. */
    public static RawInsertBaseline prepare(EmbeddedMySql mysql, String database, List<String> slotColumns) {
        mysql.recreateDatabase(database);
        try (StarDust raw = StarDust.connect(StarDustConfig.of(mysql.jdbcUrl(database), mysql.user(), mysql.password()))) {
            raw.bootstrap();
            raw.provisionPage(slotColumns);
        }
        return new RawInsertBaseline(mysql, database, slotColumns);
    }

    /** Inserts rows {@code 0..n-1} under model id 1; returns the nanoseconds from the first INSERT to the last COMMIT. */
    public long insert(int n, IntFunction<Row> rows) throws SQLException {
        String url = mysql.jdbcUrl(database);
        try (HikariDataSource ds = Pools.open(url, mysql.user(), mysql.password(), 2, "raw");
             Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
            long t0 = System.nanoTime();
            for (int start = 0; start < n; start += CHUNK) {
                int size = Math.min(CHUNK, n - start);
                long firstId = insertEntries(c, start, size, rows, now);
                insertSlots(c, start, size, rows, firstId);
                c.commit();
            }
            return System.nanoTime() - t0;
        }
    }

    private static long insertEntries(Connection c, int start, int size, IntFunction<Row> rows, LocalDateTime now)
            throws SQLException {
        String sql = "INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields) VALUES "
                + String.join(", ", java.util.Collections.nCopies(size, "(?, 1, ?, ?, ?)"));
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            int p = 1;
            for (int k = 0; k < size; k++) {
                Row r = rows.apply(start + k);
                ps.setLong(p++, r.tenantId());
                ps.setObject(p++, now);
                ps.setObject(p++, now);
                ps.setString(p++, r.fieldsJson());
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1); // one multi-row INSERT gets consecutive ids (innodb_autoinc_lock_mode=2, one writer)
            }
        }
    }

    private void insertSlots(Connection c, int start, int size, IntFunction<Row> rows, long firstId) throws SQLException {
        String row = "(?, ?" + ", ?".repeat(slotColumns.size()) + ")";
        String sql = "INSERT INTO entry_slots_page_1 (entry_id, tenant_id, " + String.join(", ", slotColumns) + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(size, row));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (int k = 0; k < size; k++) {
                Row r = rows.apply(start + k);
                ps.setLong(p++, firstId + k);
                ps.setLong(p++, r.tenantId());
                for (Object v : r.slotValues()) {
                    ps.setObject(p++, v);
                }
            }
            ps.executeUpdate();
        }
    }
}
