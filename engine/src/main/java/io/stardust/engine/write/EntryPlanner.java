package io.stardust.engine.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.write.ModelRoutes.Route;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks, routes and coerces a payload: pure, runs before any INSERT, so a coercion failure aborts with
 * nothing persisted. Every field, slot or not, must be storable as sent ({@link StorableFields}). Unregistered and
 * non-filterable keys stay in JSON only (checked before the slot lookup, so a grandfathered slot of a non-filterable
 * field is never written); filterable keys without a live slot are collected for the sync queue.
 */
public final class EntryPlanner {
    private EntryPlanner() {
    }

    public static PlannedEntry plan(ModelRoutes routes, ObjectNode fields) {
        StorableFields.check(fields);
        PlannedEntry planned = new PlannedEntry(routes.tenantId(), routes.modelId(), fields);
        Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Route route = routes.route(e.getKey());
            if (route == null || !route.filterable()) {
                continue;
            }
            if (!route.hasSlot()) {
                planned.missing(route.name());
                continue;
            }
            planned.put(route.pageId(), route.table(), route.column(), ValueCoercer.coerce(route.name(), route.type(), e.getValue()));
        }
        return planned;
    }

    /**
     * The plan of a full replace: as {@link #plan}, plus a NULL for every live slot of the
     * model whose field is absent from the new payload (an explicit {@code null} is already planned).
     */
    public static PlannedEntry planReplace(ModelRoutes routes, ObjectNode fields) {
        PlannedEntry p = plan(routes, fields);
        for (Route r : routes.all()) {
            if (r.hasSlot() && !fields.has(r.name())) {
                p.put(r.pageId(), r.table(), r.column(), null);
            }
        }
        return p;
    }
}
