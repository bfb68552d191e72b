package io.stardust.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The operations the shipped OpenAPI document lists: method and path template. */
final class OpenApiRoutes {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    record Operation(String method, String template, JsonNode node) {
        /** The template with each {param} replaced by the given value. */
        String path(Map<String, String> params) {
            String p = template;
            for (Map.Entry<String, String> e : params.entrySet()) {
                p = p.replace("{" + e.getKey() + "}", e.getValue());
            }
            return p;
        }
    }

    private OpenApiRoutes() {
    }

    static JsonNode document() throws Exception {
        return Json.parse(OpenApiDocument.load().json());
    }

    static List<Operation> operations(JsonNode doc) {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    out.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()));
                }
            }
        }
        return out;
    }
}
