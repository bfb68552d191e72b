package io.stardust.engine.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stardust.DeclaredType;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.engine.write.ValueCoercer;
import java.time.LocalDateTime;

/**
 * The one rendering rule for stored values, used by {@code get}, {@code read} and {@code search} alike: a value of a
 * registered field is shown in its declared type's canonical form (int and numeric as JSON numbers, datetime as UTC
 * {@code YYYY-MM-DD HH:MM:SS}, string as a string), exactly as its slot holds it; so {@code "12"} written to an int
 * field reads as {@code 12} and {@code "2010-01-01"} written to a datetime field reads as
 * {@code "2010-01-01 00:00:00"}, whether the value comes from a slot or from the JSON payload. A payload value that
 * does not coerce (written before a retype, say) is shown as stored; keys that are not registered fields are shown
 * as stored.
 */
public final class StoredValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StoredValues() {
    }

    /** A payload value of a field declared {@code type}, rendered; JSON null stays null. */
    public static JsonNode render(DeclaredType type, JsonNode stored) {
        if (stored == null || stored.isNull()) {
            return NODES.nullNode();
        }
        try {
            return of(ValueCoercer.coerce("", type, stored));
        } catch (UncoercibleSlotValueException e) {
            return stored;
        }
    }

    /** A slot column value (or a coerced value: String, Long, Double or LocalDateTime), rendered. */
    public static JsonNode of(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof LocalDateTime t) {
            return NODES.textNode(DateTimes.format(t));
        }
        if (v instanceof java.sql.Timestamp t) {
            return NODES.textNode(DateTimes.format(t.toLocalDateTime()));
        }
        return NODES.textNode(v.toString());
    }
}
