package io.stardust.streams.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import java.time.Instant;

/**
 * An import's read position as committed on {@code stardust.imports.progress} (record key: the import id), in the
 * same Kafka transaction as the lines it counts: after a crash, reading resumes after {@code position}.
 *
 * @param state     {@code claimed}, {@code reading}, {@code read} (every line and the end marker sent) or {@code failed}
 * @param position  the last file line (1-based) whose record is committed; 0 before the first
 * @param dataLines lines sent as records so far (blank lines and a CSV header are not data)
 * @param reason    why the file failed; null otherwise
 */
public record ImportProgress(String importId, String file, String format, String state, long position, long dataLines,
                             String reason, Instant updatedAt) {
    public static final String CLAIMED = "claimed";
    public static final String READING = "reading";
    public static final String READ = "read";
    public static final String FAILED = "failed";

    public ImportProgress at(String newState, long newPosition, long newDataLines, String why, Instant now) {
        return new ImportProgress(importId, file, format, newState, newPosition, newDataLines, why, now);
    }

    public String toJson() {
        ObjectNode o = Json.object();
        o.put("importId", importId);
        o.put("file", file);
        o.put("format", format);
        o.put("state", state);
        o.put("position", position);
        o.put("dataLines", dataLines);
        o.put("reason", reason);
        o.put("updatedAt", updatedAt.toString());
        return Json.write(o);
    }

    public static ImportProgress fromJson(String json) {
        JsonNode n;
        try {
            n = Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("import progress is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode reason = n.get("reason");
        return new ImportProgress(n.path("importId").asText(), n.path("file").asText(), n.path("format").asText(),
                n.path("state").asText(), n.path("position").asLong(), n.path("dataLines").asLong(),
                reason == null || reason.isNull() ? null : reason.asText(), Instant.parse(n.path("updatedAt").asText()));
    }
}
