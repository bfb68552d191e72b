package io.stardust.engine.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import io.stardust.DatabaseException;
import java.util.List;

/** Small JDBC helpers and the MySQL error codes the engine branches on. */
public final class Sql {
    public static final int ER_DUP_FIELDNAME = 1060;
    public static final int ER_DUP_KEYNAME = 1061;
    public static final int ER_DUP_ENTRY = 1062;
    public static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    public static final int ER_LOCK_DEADLOCK = 1213;

    private Sql() {
    }

    /** Wraps a checked SQL error in an unchecked one that keeps the cause (and so its SQLState and code). */
    public static DatabaseException wrap(SQLException e) {
        return new DatabaseException(e.getMessage(), e);
    }

    public static boolean isDuplicateKey(Throwable e) {
        return errorCode(e) == ER_DUP_ENTRY;
    }

    public static int errorCode(Throwable e) {
        SQLException s = sqlCause(e);
        return s == null ? 0 : s.getErrorCode();
    }

    public static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    public static void bind(PreparedStatement ps, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }

    public static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, List.of(values));
            return ps.executeUpdate();
        }
    }

    /** The single long of a one-row, one-column query, or {@code orElse} when there is no row or it is NULL. */
    public static long queryLong(Connection c, String sql, long orElse, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, List.of(values));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return orElse;
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? orElse : v;
            }
        }
    }

    public static LocalDateTime dateTime(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toLocalDateTime();
    }

    /** {@code ?, ?, ?} for n placeholders. */
    public static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
