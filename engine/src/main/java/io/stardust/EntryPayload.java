package io.stardust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry to write: its tenant, model and the full field map (the system-of-record payload). The constructor
 * does not validate; the factories check the envelope's shape and name the offending key, and the write path
 * checks the tenant and coerces values.
 */
public record EntryPayload(long tenantId, int modelId, ObjectNode fields) {

    /** The same tenant and model with other fields. */
    public EntryPayload withFields(ObjectNode newFields) {
        return new EntryPayload(tenantId, modelId, newFields);
    }

    /** Builds a payload from plain Java values (String, Number, Boolean, List, Map, null). */
    public static EntryPayload of(long tenantId, int modelId, Map<String, ?> fields) {
        return new EntryPayload(tenantId, modelId, Json.mapper().valueToTree(fields));
    }

    /** Parses {@code {"tenantId":1,"modelId":2,"fields":{...}}}. */
    public static EntryPayload fromJson(String json) {
        return fromNode(parseRoot(json, '{', "must be a JSON object"), "");
    }

    /** Parses {@code [{...}, {...}]}; element errors are qualified {@code [i].key}. */
    public static List<EntryPayload> listFromJson(String json) {
        JsonNode root = parseRoot(json, '[', "must be a JSON array");
        List<EntryPayload> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isObject() && !(element.isArray() && element.isEmpty())) {
                throw new MalformedEntryPayloadException("entry [" + i + "] must be a JSON object", "[" + i + "]");
            }
            out.add(fromNode(element, "[" + i + "]."));
        }
        return out;
    }

    /** Shape check of an already parsed envelope. */
    public static EntryPayload fromNode(JsonNode node, String keyPrefix) {
        if (node == null || !(node.isObject() || (node.isArray() && node.isEmpty()))) {
            throw new MalformedEntryPayloadException("entry must be a JSON object", keyPrefix.isEmpty() ? null : keyPrefix);
        }
        long tenant = requireInteger(node, "tenantId", keyPrefix);
        long model = requireInteger(node, "modelId", keyPrefix);
        if (model < Integer.MIN_VALUE || model > Integer.MAX_VALUE) {
            throw new MalformedEntryPayloadException("modelId " + model + " is out of range", keyPrefix + "modelId");
        }
        return new EntryPayload(tenant, (int) model, fieldsOf(node, keyPrefix));
    }

    /** The {@code fields} member: an object, or an empty array (PHP's empty map); anything else is malformed. */
    public static ObjectNode fieldsOf(JsonNode envelope, String keyPrefix) {
        JsonNode fields = envelope.get("fields");
        if (fields == null) {
            throw new MalformedEntryPayloadException("missing 'fields'", keyPrefix + "fields");
        }
        if (fields.isObject()) {
            return (ObjectNode) fields;
        }
        if (fields.isArray() && fields.isEmpty()) {
            return Json.object();
        }
        throw new MalformedEntryPayloadException("'fields' must be a JSON object", keyPrefix + "fields");
    }

    private static long requireInteger(JsonNode node, String key, String prefix) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw new MalformedEntryPayloadException("missing '" + key + "'", prefix + key);
        }
        if (!Json.isInteger(v)) {
            throw new MalformedEntryPayloadException("'" + key + "' must be a JSON integer, got " + v, prefix + key);
        }
        return v.longValue();
    }

    private static JsonNode parseRoot(String json, char opener, String what) {
        String trimmed = json == null ? "" : json.stripLeading();
        if (trimmed.isEmpty() || trimmed.charAt(0) != opener) {
            throw new MalformedEntryPayloadException("payload " + what, null);
        }
        try {
            return Json.parse(trimmed);
        } catch (JsonProcessingException e) {
            throw new MalformedEntryPayloadException("payload is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }
}
