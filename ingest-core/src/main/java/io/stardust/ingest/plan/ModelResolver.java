package io.stardust.ingest.plan;

import io.stardust.ModelSummary;
import io.stardust.engine.db.Sql;
import io.stardust.engine.schema.ModelNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model name to id, per tenant. Hits are cached until {@link #clear()} (the planner clears it when the schema version
 * moves, as a model rename or the end of a model's purge bumps it); misses are not, so a model an operator creates
 * is found by the next record. Names follow the engine's
 * one rule ({@link ModelNames}: trimmed, case- and accent-insensitive), as in every other entry point.
 */
public final class ModelResolver {
    private final Map<String, Integer> cache = new ConcurrentHashMap<>();

    public OptionalInt byName(Connection c, long tenantId, String name) throws SQLException {
        String cacheKey = tenantId + "\u0000" + name;
        Integer hit = cache.get(cacheKey);
        if (hit != null) {
            return OptionalInt.of(hit);
        }
        Optional<ModelSummary> model = ModelNames.find(c, tenantId, name);
        if (model.isEmpty()) {
            return OptionalInt.empty();
        }
        cache.put(cacheKey, model.get().modelId());
        return OptionalInt.of(model.get().modelId());
    }

    /** The id of a name already looked up, without a query (empty when not cached). */
    public OptionalInt cached(long tenantId, String name) {
        Integer hit = cache.get(tenantId + "\u0000" + name);
        return hit == null ? OptionalInt.empty() : OptionalInt.of(hit);
    }

    /** Forgets every name: a model may have been renamed, or purged and its name taken again. */
    public void clear() {
        cache.clear();
    }

    /** Whether the tenant has any model: tells {@code unknown_tenant} from {@code unknown_model}. */
    public boolean tenantKnown(Connection c, long tenantId) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_models WHERE tenant_id = ? LIMIT 1", 0, tenantId) > 0;
    }
}
