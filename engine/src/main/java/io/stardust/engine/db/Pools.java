package io.stardust.engine.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.stardust.DatabaseException;

/** Builds the HikariCP pool every deployable uses, with the Connector/J settings StarDust relies on. */
public final class Pools {
    private Pools() {
    }

    public static HikariDataSource open(String jdbcUrl, String user, String password, int maxSize, String poolName) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(maxSize);
        cfg.setMinimumIdle(Math.min(2, maxSize));
        cfg.setPoolName(poolName);
        // Fail fast on a wrong DSN instead of waiting out the default 30 s.
        cfg.setInitializationFailTimeout(10_000);
        cfg.setConnectionTimeout(10_000);
        cfg.addDataSourceProperty("cachePrepStmts", "true");
        cfg.addDataSourceProperty("prepStmtCacheSize", "250");
        cfg.addDataSourceProperty("prepStmtCacheSqlLimit", "8192");
        cfg.addDataSourceProperty("useServerPrepStmts", "false");
        cfg.addDataSourceProperty("rewriteBatchedStatements", "true");
        // DATETIME columns are UTC by convention; never let the JVM zone shift them.
        cfg.addDataSourceProperty("connectionTimeZone", "UTC");
        cfg.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        cfg.addDataSourceProperty("useSSL", "false");
        cfg.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        try {
            return new HikariDataSource(cfg);
        } catch (HikariPool.PoolInitializationException e) {
            // Hikari's message wraps the driver's in pool jargon; say what the caller can act on.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new DatabaseException("cannot connect to " + withoutSecrets(jdbcUrl) + " as '" + user + "': "
                    + firstLine(root.getMessage()), e);
        }
    }

    /** A JDBC URL may carry {@code password=...} as a parameter; an error message must not. */
    static String withoutSecrets(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }
}
