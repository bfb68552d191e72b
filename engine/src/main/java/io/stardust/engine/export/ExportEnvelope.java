package io.stardust.engine.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code stardust_export_jobs.filter} holds: upstream's envelope {@code {"model_id": M, "filter": F}} where F is
 * the consumer's filter ({@code []} when there is none, as upstream), plus our keys {@code select} (the exported
 * field names) and {@code gzip}. Here F is the canonical wire document of a filter that passed pre-flight at
 * submission ({@code {"version":"1","filter":…}}), so the Chronicler decodes it with the search's decoder.
 *
 * @param filter the canonical wire document, or null for every entry
 * @param select null: every live field
 */
public record ExportEnvelope(int modelId, String filter, List<String> select, boolean gzip) {

    public ExportEnvelope {
        select = select == null ? null : List.copyOf(select);
    }

    public String toJson() {
        ObjectNode o = Json.object();
        o.put("model_id", modelId);
        if (filter == null) {
            o.putArray("filter");
        } else {
            o.set("filter", Json.parseStored(filter));
        }
        if (select != null) {
            ArrayNode a = o.putArray("select");
            select.forEach(a::add);
        }
        if (gzip) {
            o.put("gzip", true);
        }
        return Json.write(o);
    }

    /** Reads a stored envelope; anything unreadable is model 0 with no filter (which exports nothing, as upstream). */
    public static ExportEnvelope parse(String stored) {
        JsonNode n = stored == null ? null : Json.parseStored(stored);
        if (n == null || !n.isObject()) {
            return new ExportEnvelope(0, null, null, false);
        }
        JsonNode model = n.get("model_id");
        int modelId = model != null && model.canConvertToInt() && model.isIntegralNumber() ? model.intValue() : 0;
        JsonNode f = n.get("filter");
        String filter = f != null && f.isObject() ? Json.write(f) : null;
        List<String> select = null;
        if (n.path("select").isArray()) {
            select = new ArrayList<>();
            for (JsonNode s : n.get("select")) {
                select.add(s.asText());
            }
        }
        return new ExportEnvelope(modelId, filter, select, n.path("gzip").asBoolean(false));
    }
}
