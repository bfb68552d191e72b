package io.stardust.daemon;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.daemon.process.ProcessNames;
import io.stardust.engine.db.Pools;
import io.stardust.engine.schema.ServerVersionCheck;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection pool of one daemon process. Opening it also refuses an unsupported server (MariaDB, MySQL before
 * 8.0.13; decision Q8) before the daemon touches anything, so a misconfigured deployment fails at start-up with
 * exit code 1 and a one-line reason instead of failing later on some statement.
 */
public final class DaemonDatabase {
    private DaemonDatabase() {
    }

    /** A pool named after the daemon ({@code stardust-watcher}, …), at most {@code maxSize} connections. */
    public static HikariDataSource open(StarDustConfig config, String daemonName, int maxSize) throws SQLException {
        HikariDataSource pool = Pools.open(config.dsn(), config.user(), config.password(),
                Math.max(1, Math.min(maxSize, config.poolSize())), "stardust-" + ProcessNames.check(daemonName));
        try (Connection c = pool.getConnection()) {
            ServerVersionCheck.require(c);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }
}
