package io.stardust.streams.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One import's counters as published on {@code stardust.imports.status} (record key: the import id), and also one
 * line's contribution to them before they are summed.
 *
 * @param lines        data lines in the file; null until the reader's end marker has been counted
 * @param accepted     lines routed to {@code stardust.entries}
 * @param rejected     lines routed to {@code stardust.imports.rejected}
 * @param landed       accepted lines the gateway wrote to MySQL (their entry event carries the import line)
 * @param deadLettered accepted lines the gateway quarantined in its DLQ instead
 * @param deadLetteredLines the first {@link #LISTED_DEAD_LETTERS} of those, as {@code line: reason}, in arrival order
 * @param tenantId     the tenant of every accepted line when they share one; null before the first accepted line
 *                     and when {@code mixedTenants}
 * @param mixedTenants accepted lines of more than one tenant (an NDJSON file's lines each name their own): the
 *                     import then belongs to no single tenant
 */
public record ImportCounts(String importId, String file, Long lines, long accepted, long rejected, long landed,
                           long deadLettered, List<String> deadLetteredLines, Long tenantId, boolean mixedTenants) {
    /** Every line seen so far is routed, but the reader has not finished the file. */
    public static final String READING = "reading";
    /** Every line of the file is in {@code stardust.entries} or {@code stardust.imports.rejected}. */
    public static final String ROUTED = "routed";
    /** Every line of the file is an entry in MySQL, rejected, or in the gateway's DLQ: nothing is in flight. */
    public static final String LANDED = "landed";
    /** Dead-lettered lines named in the status record; the rest are counted (the gateway's DLQ holds them all). */
    public static final int LISTED_DEAD_LETTERS = 100;

    public ImportCounts {
        deadLetteredLines = List.copyOf(deadLetteredLines);
    }

    public ImportCounts(String importId, String file, Long lines, long accepted, long rejected) {
        this(importId, file, lines, accepted, rejected, 0, 0, List.of(), null, false);
    }

    /** One accepted line of {@code tenantId}. */
    public static ImportCounts acceptedLine(String importId, String file, long tenantId) {
        return new ImportCounts(importId, file, null, 1, 0, 0, 0, List.of(), tenantId, false);
    }

    public static ImportCounts empty() {
        return new ImportCounts(null, null, null, 0, 0);
    }

    /** One accepted line that the gateway wrote. */
    public static ImportCounts landedLine(String importId) {
        return new ImportCounts(importId, null, null, 0, 0, 1, 0, List.of(), null, false);
    }

    /** One accepted line that the gateway quarantined, with its DLQ reason. */
    public static ImportCounts deadLetteredLine(String importId, long line, String reason) {
        return new ImportCounts(importId, null, null, 0, 0, 0, 1, List.of(line + ": " + reason), null, false);
    }

    public ImportCounts plus(ImportCounts o) {
        List<String> listed = deadLetteredLines;
        if (!o.deadLetteredLines.isEmpty() && listed.size() < LISTED_DEAD_LETTERS) {
            listed = new ArrayList<>(deadLetteredLines);
            listed.addAll(o.deadLetteredLines.subList(0, Math.min(o.deadLetteredLines.size(), LISTED_DEAD_LETTERS - listed.size())));
        }
        return new ImportCounts(importId != null ? importId : o.importId, file != null ? file : o.file,
                lines != null ? lines : o.lines, accepted + o.accepted, rejected + o.rejected, landed + o.landed,
                deadLettered + o.deadLettered, listed, mixed(o) ? null : tenantId != null ? tenantId : o.tenantId, mixed(o));
    }

    private boolean mixed(ImportCounts o) {
        return mixedTenants || o.mixedTenants || (tenantId != null && o.tenantId != null && !tenantId.equals(o.tenantId));
    }

    public String state() {
        if (lines == null || accepted + rejected < lines) {
            return READING;
        }
        return landed + deadLettered >= accepted ? LANDED : ROUTED;
    }

    /** {@code file:line: reason} of each listed dead-lettered line. */
    public List<String> deadLetteredAt() {
        return deadLetteredLines.stream().map(l -> file + ":" + l).toList();
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
        o.put("landed", landed);
        o.put("deadLettered", deadLettered);
        ArrayNode listed = o.putArray("deadLetteredLines");
        deadLetteredLines.forEach(listed::add);
        if (tenantId == null) {
            o.putNull("tenantId");
        } else {
            o.put("tenantId", tenantId);
        }
        o.put("mixedTenants", mixedTenants);
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
        List<String> listed = new ArrayList<>();
        n.path("deadLetteredLines").forEach(l -> listed.add(l.asText()));
        return new ImportCounts(textOrNull(n, "importId"), textOrNull(n, "file"),
                lines == null || lines.isNull() ? null : lines.asLong(), n.path("accepted").asLong(),
                n.path("rejected").asLong(), n.path("landed").asLong(), n.path("deadLettered").asLong(), listed,
                n.hasNonNull("tenantId") ? n.get("tenantId").asLong() : null, n.path("mixedTenants").asBoolean());
    }

    private static String textOrNull(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
