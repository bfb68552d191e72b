package io.stardust.engine.json;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * The one JSON configuration of StarDust: every reader (engine, filters, gateway, CLI, HTTP) parses through
 * {@link #mapper()} or {@link #parse}, so a document is accepted or refused the same way everywhere. Input rules:
 * <ul>
 *   <li>strict RFC 8259 JSON, nothing after the value ({@code {}{}}, {@code {} x} are errors), no NaN/Infinity;</li>
 *   <li>no duplicate keys in any object ({@code {"tenantId":1,"tenantId":2}} is an error, not "last one wins");</li>
 *   <li>bytes must be well-formed UTF-8 (no BOM, no overlong forms, no encoded surrogates);</li>
 *   <li>nesting at most {@value #MAX_DEPTH} levels, a number literal at most {@value #MAX_NUMBER_LENGTH} characters,
 *       a string at most {@value #MAX_STRING_LENGTH} characters;</li>
 *   <li>a float that a double cannot hold ({@code 1e400}, {@code 1e-400}) is read as a {@code BigDecimal} (see
 *       {@link #fitsDouble}) so that writers reject it rather than store Infinity or 0.</li>
 * </ul>
 * Number rules StarDust depends on: a JSON integer that fits in signed 64 bits is an <em>integer</em>; a number with
 * a fraction or exponent, or an integer outside int64, is a <em>float</em>.
 */
public final class Json {
    public static final int MAX_DEPTH = 512;
    /** Longer numbers carry nothing a double or int64 can hold, and cost super-linear time to convert. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    public static final int MAX_STRING_LENGTH = 20_000_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder(new StrictJsonFactory(new JsonFactoryBuilder()
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            // StrictJsonParser enforces MAX_NUMBER_LENGTH with a message naming the number's place
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .build())))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses JSON text; throws {@link JsonProcessingException} on input that breaks the rules above. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Parses UTF-8 JSON bytes; invalid UTF-8 is a {@link JsonProcessingException} like any other syntax error. */
    public static JsonNode parse(byte[] utf8) throws JsonProcessingException {
        try {
            return MAPPER.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) { // nothing else can fail when reading from an array
            throw new UncheckedIOException(e);
        }
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
     * False for a number a double cannot represent: beyond ±1.8e308, non-zero but nearer zero than 4.9e-324 (it
     * would round to 0), or a NaN/Infinity built in Java. True for every other node.
     */
    public static boolean fitsDouble(JsonNode n) {
        if (n.isBigDecimal()) {
            BigDecimal v = n.decimalValue();
            double d = v.doubleValue();
            return Double.isFinite(d) && (d != 0 || v.signum() == 0);
        }
        if (n.isBigInteger()) {
            return Double.isFinite(n.bigIntegerValue().doubleValue());
        }
        return !n.isFloatingPointNumber() || Double.isFinite(n.doubleValue());
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
