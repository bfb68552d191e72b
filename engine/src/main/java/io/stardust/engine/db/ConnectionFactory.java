package io.stardust.engine.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a JDBC connection the caller owns and closes. {@code dataSource::getConnection} fits; for
 * {@link AdvisoryLock} prefer a non-pooled source, because the lock lives exactly as long as the session.
 */
@FunctionalInterface
public interface ConnectionFactory {
    Connection open() throws SQLException;
}
