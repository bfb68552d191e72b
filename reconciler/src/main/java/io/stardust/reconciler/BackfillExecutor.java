package io.stardust.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryDataMissingException;
import io.stardust.engine.json.Json;
import io.stardust.engine.write.EntryPlanner;
import io.stardust.engine.write.EntryStore;
import io.stardust.engine.write.ModelRoutes;
import io.stardust.engine.write.PlannedEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a queued entry's slot values now that (some of) its fields have live slots, inside the
 * caller's transaction, with the write path's own routing and coercion ({@link ModelRoutes},
 * {@link EntryPlanner}, {@link EntryStore#upsertSlots}). It never touches {@code entry_data} or the queue and
 * never reserves.
 *
 * <p>Divergences: a soft-deleted entry is skipped (decision Q15; upstream still wrote its slots, which no read can
 * reach); and the entry row is read with {@code FOR SHARE}, so an API update of the same entry cannot commit
 * between this read and the slot upsert and have its newer slot values overwritten with older ones.
 */
public final class BackfillExecutor {

    /**
     * What one backfill did.
     *
     * @param stillUnmapped filterable fields of the payload that still have no live slot (empty: fully reconciled)
     */
    public record Result(long tenantId, int modelId, boolean skippedDeleted, int slotsWritten,
                         List<String> stillUnmapped) {
        public Result {
            stillUnmapped = List.copyOf(stillUnmapped);
        }
    }

    /** Model routes loaded within one chunk (one transaction), keyed by tenant and model. */
    public static final class RouteCache {
        private final Map<String, ModelRoutes> routes = new HashMap<>();

        ModelRoutes get(Connection c, long tenantId, int modelId) throws SQLException {
            String key = tenantId + "/" + modelId;
            ModelRoutes r = routes.get(key);
            if (r == null) {
                r = ModelRoutes.load(c, tenantId, modelId);
                routes.put(key, r);
            }
            return r;
        }
    }

    /**
     * @throws EntryDataMissingException the entry row is gone or its payload is not a JSON object (DLQ reason
     *                                   {@code missing_entry_data})
     * @throws io.stardust.UncoercibleSlotValueException a value does not fit its slot ({@code schema_incompatibility})
     */
    public Result backfill(Connection c, long entryId, RouteCache cache) throws SQLException {
        long tenantId;
        int modelId;
        boolean deleted;
        String fieldsText;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tenant_id, model_id, deleted_at IS NOT NULL, fields FROM entry_data WHERE id = ? FOR SHARE")) {
            ps.setLong(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new EntryDataMissingException("entry_data row " + entryId + " does not exist");
                }
                tenantId = rs.getLong(1);
                modelId = rs.getInt(2);
                deleted = rs.getBoolean(3);
                fieldsText = rs.getString(4);
            }
        }
        if (deleted) {
            return new Result(tenantId, modelId, true, 0, List.of());
        }
        ObjectNode fields = asObject(entryId, Json.parseStored(fieldsText));
        PlannedEntry planned = EntryPlanner.plan(cache.get(c, tenantId, modelId), fields);
        EntryStore.upsertSlots(c, List.of(planned), List.of(entryId));
        return new Result(tenantId, modelId, false, planned.slotWrites().size(), planned.missingSlotFields());
    }

    private static ObjectNode asObject(long entryId, JsonNode node) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        if (node.isArray() && node.isEmpty()) {
            return Json.object(); // upstream stored an empty payload as [] (Q13); it is an empty map
        }
        throw new EntryDataMissingException("payload of entry " + entryId + " is not a JSON object but "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
}
