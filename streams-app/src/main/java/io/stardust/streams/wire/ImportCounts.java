package io.stardust.streams.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;

/**
 * One import's counters as published on {@code stardust.imports.status} (record key: the import id), and also one
 * line's contribution to them before they are summed.
 *
 * @param lines    data lines in the file; null until the reader's end marker has been counted
 * @param accepted lines routed to {@code stardust.entries}
 * @param rejected lines routed to {@code stardust.imports.rejected}
 */
public record ImportCounts(String importId, String file, Long lines, long accepted, long rejected) {
    /** Every line seen so far is routed, but the reader has not finished the file. */
    public static final String READING = "reading";
    /** Every line of the file is in {@code stardust.entries} or {@code stardust.imports.rejected}. */
    public static final String ROUTED = "routed";

    public static ImportCounts empty() {
        return new ImportCounts(null, null, null, 0, 0);
    }

    public ImportCounts plus(ImportCounts o) {
        return new ImportCounts(importId != null ? importId : o.importId, file != null ? file : o.file,
                lines != null ? lines : o.lines, accepted + o.accepted, rejected + o.rejected);
    }

    public String state() {
        return lines != null && accepted + rejected >= lines ? ROUTED : READING;
    }

    public String toJson() {
        ObjectNode o = Json.object();
        o.put("importId", importId);
        o.put("file", file);
        if (lines == null) {
            o.putNull("lines");
        } else {
            o.put("lines", lines);
        }
        o.put("accepted", accepted);
        o.put("rejected", rejected);
        o.put("state", state());
        return Json.write(o);
    }

    /** Decodes {@link #toJson()}; an undecodable value is an {@link IllegalArgumentException} naming it. */
    public static ImportCounts fromJson(String json) {
        JsonNode n;
        try {
            n = Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("import counts are not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode lines = n.get("lines");
        return new ImportCounts(textOrNull(n, "importId"), textOrNull(n, "file"),
                lines == null || lines.isNull() ? null : lines.asLong(), n.path("accepted").asLong(),
                n.path("rejected").asLong());
    }

    private static String textOrNull(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
