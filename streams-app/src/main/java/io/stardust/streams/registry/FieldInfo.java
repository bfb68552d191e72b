package io.stardust.streams.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.DeclaredType;
import io.stardust.engine.json.Json;

/**
 * What validating a line needs of a field: its name (and the name it had before a rename still being
 * rewritten, which writes still accept), its declared type, and whether it is filterable and not deleted.
 */
public record FieldInfo(String name, String previousName, DeclaredType type, boolean filterable) {

    static FieldInfo of(JsonNode row) {
        JsonNode previous = row.get("previous_name");
        boolean deleted = row.hasNonNull("deleted_at");
        return new FieldInfo(row.path("name").asText(), previous == null || previous.isNull() ? null : previous.asText(),
                DeclaredType.parse(row.path("declared_type").asText()), !deleted && row.path("is_filterable").asInt() == 1);
    }

    String encode() {
        ObjectNode o = Json.object();
        o.put("name", name);
        o.put("previousName", previousName);
        o.put("type", type.wireName());
        o.put("filterable", filterable);
        return Json.write(o);
    }

    static FieldInfo decode(String text) {
        JsonNode n = Json.parseStored(text);
        JsonNode previous = n.get("previousName");
        return new FieldInfo(n.path("name").asText(), previous == null || previous.isNull() ? null : previous.asText(),
                DeclaredType.parse(n.path("type").asText()), n.path("filterable").asBoolean());
    }
}
