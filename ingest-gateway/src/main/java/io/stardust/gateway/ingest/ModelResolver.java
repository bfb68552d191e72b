package io.stardust.gateway.ingest;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model name to id, per tenant. Hits are cached for the life of the process (models are never deleted or
 * renamed); misses are not, so a model an operator creates is found by the next record. Names compare like the
 * registry's unique key (case- and accent-insensitive).
 */
public final class ModelResolver {
    private final Map<String, Integer> cache = new ConcurrentHashMap<>();

    public OptionalInt byName(Connection c, long tenantId, String name) throws SQLException {
        String cacheKey = tenantId + "\u0000" + name;
        Integer hit = cache.get(cacheKey);
        if (hit != null) {
            return OptionalInt.of(hit);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM stardust_models WHERE tenant_id = ? AND name = ?")) {
            ps.setLong(1, tenantId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return OptionalInt.empty();
                }
                int id = rs.getInt(1);
                cache.put(cacheKey, id);
                return OptionalInt.of(id);
            }
        }
    }

    /** Whether the tenant has any model: tells {@code unknown_tenant} from {@code unknown_model}. */
    public boolean tenantKnown(Connection c, long tenantId) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_models WHERE tenant_id = ? LIMIT 1", 0, tenantId) > 0;
    }
}
