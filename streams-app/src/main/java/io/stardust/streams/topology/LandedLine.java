package io.stardust.streams.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * What an event of the gateway's events topic says about a file-import line: the line landed (an entry's
 * {@code created}/{@code updated}/{@code deleted} event whose {@code import} names it) or was dead-lettered (a
 * {@code dead_lettered} event, with the DLQ {@code reason}). Events without {@code import} are other producers'.
 *
 * @param reason null when the line landed
 */
record LandedLine(String importId, long line, String reason) {

    /** The line an event accounts for, or null when it names none (or is not an event). */
    static LandedLine of(byte[] event) {
        if (event == null) {
            return null;
        }
        JsonNode n;
        try {
            n = Json.parse(event);
        } catch (Exception e) {
            return null; // not ours to judge: the topic is the gateway's, and its other readers see the same bytes
        }
        JsonNode origin = n == null ? null : n.get("import");
        if (origin == null || !origin.path("id").isTextual() || !origin.path("line").canConvertToLong()
                || origin.path("line").asLong() < 1) {
            return null; // the gateway writes only positive line numbers; anything else names no line
        }
        JsonNode reason = n.get("reason");
        return new LandedLine(origin.get("id").asText(), origin.get("line").asLong(),
                "dead_lettered".equals(n.path("type").asText()) ? (reason == null ? "unknown" : reason.asText()) : null);
    }

    byte[] toBytes() {
        return (line + (reason == null ? "" : " " + reason)).getBytes(StandardCharsets.UTF_8);
    }

    static LandedLine fromBytes(String importId, byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int sp = s.indexOf(' ');
        return sp < 0 ? new LandedLine(importId, Long.parseLong(s), null)
                : new LandedLine(importId, Long.parseLong(s.substring(0, sp)), s.substring(sp + 1));
    }
}
