package io.stardust.streams.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;

/**
 * A line that can never become an entry, as published on {@code stardust.imports.rejected} (record key: the
 * import id): where it is ({@code file:line}) and why ({@code reason} code and a message naming the field or
 * column).
 */
public record RejectedLine(String importId, String file, long line, LineRejection reason, String message) {

    public String toJson() {
        ObjectNode o = Json.object();
        o.put("importId", importId);
        o.put("file", file);
        o.put("line", line);
        o.put("reason", reason.code());
        o.put("message", message);
        return Json.write(o);
    }

    public static RejectedLine fromJson(String json) {
        JsonNode n;
        try {
            n = Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rejected line is not JSON: " + e.getOriginalMessage(), e);
        }
        return new RejectedLine(n.path("importId").asText(), n.path("file").asText(), n.path("line").asLong(),
                LineRejection.parse(n.path("reason").asText()), n.path("message").asText());
    }

    /** {@code file:line: reason: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason.code() + ": " + message;
    }
}
