package io.stardust.engine.schema;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;

/** The registry's monotonically increasing version; bumped inside the transaction of every registry change. */
public final class SchemaVersion {
    private SchemaVersion() {
    }

    public static void bump(Connection c, LocalDateTime now) throws SQLException {
        Sql.update(c, "UPDATE stardust_schema_version SET version = version + 1, updated_at = ? WHERE id = 1", now);
    }

    /** Bumps with the server's clock (Liberator reclaims, as upstream). */
    public static void bumpServerSide(Connection c) throws SQLException {
        Sql.update(c, "UPDATE stardust_schema_version SET version = version + 1, updated_at = UTC_TIMESTAMP() WHERE id = 1");
    }

    public static long read(Connection c) throws SQLException {
        return Sql.queryLong(c, "SELECT version FROM stardust_schema_version WHERE id = 1", 0);
    }
}
