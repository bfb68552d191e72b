package io.stardust.engine.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.engine.json.Json;
import io.stardust.engine.text.LoneSurrogates;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses payload content that would be stored as something other than what was sent, whatever the field's type
 * and whether or not it has a slot: text with an unpaired UTF-16 surrogate (MySQL's utf8mb4 stores it as {@code ?})
 * and numbers a double cannot hold ({@code 1e400} would be written as the string {@code "Infinity"}, {@code 1e-400}
 * as 0). Field names and nested values are checked too; errors name the field path ({@code address.lines[2]}).
 */
final class StorableFields {
    private StorableFields() {
    }

    /**
     * @throws MalformedEntryPayloadException for invalid text, its {@code key()} {@code fields.<path>}
     * @throws UncoercibleSlotValueException for an out-of-range number
     */
    static void check(ObjectNode fields) {
        checkObject(fields, "");
    }

    private static void checkObject(ObjectNode object, String path) {
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            int bad = LoneSurrogates.indexIn(e.getKey());
            if (bad >= 0) {
                throw invalidText(child, "field name", e.getKey(), bad);
            }
            check(e.getValue(), child);
        }
    }

    private static void check(JsonNode v, String path) {
        if (v.isObject()) {
            checkObject((ObjectNode) v, path);
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                check(v.get(i), path + "[" + i + "]");
            }
        } else if (v.isTextual()) {
            int bad = LoneSurrogates.indexIn(v.textValue());
            if (bad >= 0) {
                throw invalidText(path, "string", v.textValue(), bad);
            }
        } else if (v.isNumber() && !Json.fitsDouble(v)) {
            throw new UncoercibleSlotValueException("field '" + LoneSurrogates.escape(path) + "': cannot store "
                    + abbreviate(v.asText()) + ": " + ValueCoercer.whyNotADouble(v));
        }
    }

    private static MalformedEntryPayloadException invalidText(String path, String what, String text, int at) {
        String shown = LoneSurrogates.escape(path);
        return new MalformedEntryPayloadException("field '" + shown + "': the " + what + " has an unpaired UTF-16"
                + " surrogate " + String.format("\\u%04x", (int) text.charAt(at)) + " at character " + at
                + "; text must be valid Unicode", "fields." + shown);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
