package io.stardust.engine.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The one JSON configuration of the engine, and the number rules StarDust depends on: a JSON integer that fits in
 * signed 64 bits is an <em>integer</em>; a number with a fraction or exponent, or an integer outside int64, is a
 * <em>float</em>. Nesting deeper than 512 is rejected, as upstream.
 */
public final class Json {
    public static final int MAX_DEPTH = 512;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses JSON text; throws {@link JsonProcessingException} on invalid input. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Parses JSON that this engine itself stored; an invalid document here is a bug or corruption. */
    public static JsonNode parseStored(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    /** A JSON integer within signed 64-bit range. */
    public static boolean isInteger(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }

    /** A JSON number with a fraction or exponent, or an integer outside int64. */
    public static boolean isFloat(JsonNode n) {
        return n != null && n.isNumber() && !isInteger(n);
    }

    /**
     * A double as the shortest decimal that reads back to the same value (we do not reproduce PHP's 14-digit
     * rendering; see the README). Integral values within ±1e15 print without a decimal point.
     */
    public static String formatDouble(double d) {
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String shortest = Double.toString(d);
        BigDecimal exact = new BigDecimal(shortest);
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -5 && exponent < 21) {
            return exact.stripTrailingZeros().toPlainString();
        }
        return shortest;
    }

    /** Unicode code points, the unit of every StarDust string limit. */
    public static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }
}
