package io.stardust.gateway.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.Pools;

/** A small pool for the operator commands, which only need MySQL. */
final class DbCommands {
    private DbCommands() {
    }

    static HikariDataSource pool(ConfigValues v) {
        StarDustConfig cfg = StarDustConfig.from(v);
        return Pools.open(cfg.dsn(), cfg.user(), cfg.password(), 2, "stardust-dlq");
    }
}
