package io.stardust.engine.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one transaction on a pooled connection: commit on success, roll back on any failure, and always
 * restore auto-commit before the connection returns to the pool.
 */
public final class Tx {
    private Tx() {
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public static <T> T inTransaction(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return inTransaction(c, work);
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    /** Runs {@code work} as one transaction on a connection the caller owns. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Runs read-only or single-statement work without a transaction of its own. */
    public static <T> T withConnection(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
