package io.stardust.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.QueryFilterValidationException;
import io.stardust.StarDustConfig.FilterLimits;
import io.stardust.engine.json.Json;
import io.stardust.engine.text.LoneSurrogates;
import io.stardust.engine.text.StrictUtf8;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes the JSON wire format into a {@link FilterNode}. Fail-fast: the first violation, in the order
 * the spec fixes, is thrown as a {@link QueryFilterValidationException} with an RFC 6901 pointer. Unknown envelope
 * and node keys are ignored (the shipped JSON Schema is the strict one).
 *
 * <p>Tolerances kept from upstream, where PHP cannot tell {@code {}} from {@code []}: an empty array is accepted
 * where an object is expected, and an empty object where a list is expected; both then fail on their contents.
 * Unlike PHP, a non-empty object whose keys happen to be {@code "0","1",…} is an object, not a list.
 *
 * <p>Thread-safe and reusable.
 */
public final class JsonFilterDecoder {
    private final FilterLimits limits;

    public JsonFilterDecoder(FilterLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A decoder with StarDust's default limits. */
    public JsonFilterDecoder() {
        this(FilterLimits.DEFAULTS);
    }

    public FilterLimits limits() {
        return limits;
    }

    /**
     * Decodes a wire document.
     *
     * @return the filter, or null when the envelope has no {@code filter} key (match-all)
     * @throws QueryFilterValidationException on the first violation
     */
    public FilterNode decode(String body) {
        if (body != null) {
            long bytes = utf8Length(body);
            if (bytes > limits.maxPayloadBytes()) {
                throw payloadTooLarge(bytes);
            }
        }
        return decodeText(body);
    }

    /** Decodes a wire document given as UTF-8 bytes (as received over HTTP); invalid UTF-8 is malformed. */
    public FilterNode decode(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        if (utf8.length > limits.maxPayloadBytes()) {
            throw payloadTooLarge(utf8.length);
        }
        String text;
        try {
            text = StrictUtf8.decode(utf8);
        } catch (StrictUtf8.InvalidUtf8Exception e) {
            throw envelope(JsonPointers.ROOT, "filter document is not valid UTF-8: " + e.getMessage());
        }
        return decodeText(text);
    }

    private FilterNode decodeText(String body) {
        if (body == null || firstNonWhitespace(body) != '{') {
            throw envelope(JsonPointers.ROOT, "filter document must be a JSON object");
        }
        JsonNode root;
        try {
            root = Json.parse(body); // the one JSON configuration: one value, no duplicate keys, bounded numbers
        } catch (JsonProcessingException e) {
            throw envelope(JsonPointers.ROOT, "filter document is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode envelope)) {
            throw envelope(JsonPointers.ROOT, "filter document must be a JSON object");
        }

        if (envelope.has("version")) {
            JsonNode version = envelope.get("version");
            if (!(version.isTextual() && version.textValue().equals("1"))) {
                throw new QueryFilterValidationException(ValidationErrorCode.VERSION_UNSUPPORTED, "/version",
                        "unsupported filter version " + version + "; only \"1\" is supported",
                        details("received", plain(version)));
            }
        }

        if (!envelope.has("filter")) {
            return null;
        }
        JsonNode filter = envelope.get("filter");
        String pointer = JsonPointers.child(JsonPointers.ROOT, "filter");
        if (filter.isNull()) {
            throw malformed(pointer, "filter must be a node object, not null");
        }
        ObjectNode node = asObject(filter);
        if (node == null) {
            throw envelope(pointer, "filter must be a node object");
        }
        return new Walk().node(node, pointer, 1);
    }

    /** One decode's running state: the pre-order node counter. */
    private final class Walk {
        private int nodes;

        FilterNode node(ObjectNode node, String pointer, int depth) {
            nodes++;
            if (nodes > limits.maxNodes()) {
                throw new QueryFilterValidationException(ValidationErrorCode.NODE_COUNT_EXCEEDED, pointer,
                        "filter has more than " + limits.maxNodes() + " nodes", details("limit", limits.maxNodes()));
            }
            if (depth > limits.maxDepth()) {
                throw new QueryFilterValidationException(ValidationErrorCode.NESTING_TOO_DEEP, pointer,
                        "filter nests deeper than " + limits.maxDepth() + " levels",
                        details("limit", limits.maxDepth()));
            }
            JsonNode opNode = node.get("op");
            if (opNode == null || !opNode.isTextual()) {
                throw malformed(pointer, "node needs a string \"op\"");
            }
            String op = opNode.textValue();
            if (op.equals(Operators.AND) || op.equals(Operators.OR)) {
                List<FilterNode> args = composite(node, op, pointer, depth);
                return op.equals(Operators.AND) ? new AndNode(args) : new OrNode(args);
            }
            if (op.equals(Operators.NOT)) {
                JsonNode arg = node.get("arg");
                if (arg == null) {
                    throw malformed(pointer, "not needs an \"arg\" node");
                }
                String argPointer = JsonPointers.child(pointer, "arg");
                ObjectNode child = asObject(arg);
                if (child == null) {
                    throw malformed(argPointer, "\"arg\" must be a node object");
                }
                return new NotNode(node(child, argPointer, depth + 1));
            }
            if (Operators.isV1Leaf(op)) {
                return leaf(node, op, pointer);
            }
            throw new QueryFilterValidationException(ValidationErrorCode.OPERATOR_UNKNOWN,
                    JsonPointers.child(pointer, "op"), "unknown operator \"" + op + "\"", details("received", op));
        }

        private List<FilterNode> composite(ObjectNode node, String op, String pointer, int depth) {
            JsonNode argsNode = node.get("args");
            if (argsNode == null) {
                throw malformed(pointer, op + " needs an \"args\" list");
            }
            String argsPointer = JsonPointers.child(pointer, "args");
            ArrayNode args = asList(argsNode);
            if (args == null) {
                throw malformed(argsPointer, "\"args\" must be a list of nodes");
            }
            if (args.isEmpty()) {
                throw new QueryFilterValidationException(ValidationErrorCode.VALUE_COUNT_MISMATCH, argsPointer,
                        op + " needs at least one child", details("observed", 0));
            }
            if (args.size() > limits.maxArgs()) {
                throw outOfBounds(argsPointer, op + " has more than " + limits.maxArgs() + " children",
                        args.size(), limits.maxArgs());
            }
            List<FilterNode> children = new ArrayList<>(args.size());
            for (int i = 0; i < args.size(); i++) {
                String childPointer = JsonPointers.child(argsPointer, i);
                ObjectNode child = asObject(args.get(i));
                if (child == null) {
                    throw malformed(childPointer, "each of \"args\" must be a node object");
                }
                children.add(node(child, childPointer, depth + 1));
            }
            return children;
        }

        private LeafNode leaf(ObjectNode node, String op, String pointer) {
            FieldRef field = field(node, pointer);
            String valuePointer = JsonPointers.child(pointer, "value");
            boolean hasValue = node.has("value");
            if (Operators.isPresence(op)) {
                if (hasValue) {
                    throw new QueryFilterValidationException(ValidationErrorCode.VALUE_UNEXPECTED, valuePointer,
                            op + " takes no \"value\"");
                }
                return new LeafNode(op, field, null, pointer);
            }
            if (!hasValue) {
                throw malformed(pointer, op + " needs a \"value\"");
            }
            JsonNode value = node.get("value");
            FilterValue decoded;
            if (Operators.isSingleValue(op)) {
                decoded = singleValue(op, value, valuePointer);
            } else if (Operators.isSet(op)) {
                decoded = setValue(op, value, valuePointer);
            } else {
                decoded = rangeValue(value, valuePointer);
            }
            return new LeafNode(op, field, decoded, pointer);
        }

        private FieldRef field(ObjectNode node, String pointer) {
            JsonNode fieldNode = node.get("field");
            if (fieldNode == null) {
                throw malformed(pointer, "leaf needs a \"field\"");
            }
            String fieldPointer = JsonPointers.child(pointer, "field");
            ObjectNode field = asObject(fieldNode);
            if (field == null) {
                throw malformed(fieldPointer, "\"field\" must be an object {model, name}");
            }
            String model = nonEmptyString(field, "model", fieldPointer);
            String name = nonEmptyString(field, "name", fieldPointer);
            return new FieldRef(model, name);
        }

        private String nonEmptyString(ObjectNode field, String key, String fieldPointer) {
            JsonNode v = field.get(key);
            if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
                throw malformed(JsonPointers.child(fieldPointer, key), "field \"" + key + "\" must be a non-empty string");
            }
            return v.textValue();
        }

        private FilterValue.Scalar singleValue(String op, JsonNode value, String pointer) {
            if (value.isContainerNode()) {
                throw malformed(pointer, op + " takes one scalar value, not a list or object");
            }
            if (value.isNull()) {
                throw malformed(pointer, op + " takes one scalar value, not null");
            }
            if (op.equals(Operators.PREFIX)) {
                if (!value.isTextual()) {
                    throw malformed(pointer, "prefix takes a string value");
                }
                if (value.textValue().isEmpty()) {
                    throw new QueryFilterValidationException(ValidationErrorCode.VALUE_OUT_OF_BOUNDS, pointer,
                            "prefix must not be empty", details("observed", 0));
                }
            }
            checkScalar(value, pointer);
            return scalar(value);
        }

        private FilterValue.ListValue setValue(String op, JsonNode value, String pointer) {
            ArrayNode list = asList(value);
            if (list == null) {
                throw malformed(pointer, op + " takes a list of scalars");
            }
            if (list.isEmpty()) {
                throw new QueryFilterValidationException(ValidationErrorCode.VALUE_COUNT_MISMATCH, pointer,
                        op + " needs at least one value", details("observed", 0));
            }
            if (list.size() > limits.maxInElements()) {
                throw outOfBounds(pointer, op + " has more than " + limits.maxInElements() + " values",
                        list.size(), limits.maxInElements());
            }
            // Record equality is (kind, value), so 1, 1.0, "1" and true stay distinct; first occurrence wins.
            Set<FilterValue.Scalar> distinct = new LinkedHashSet<>();
            for (int i = 0; i < list.size(); i++) {
                distinct.add(element(list.get(i), JsonPointers.child(pointer, i)));
            }
            return new FilterValue.ListValue(new ArrayList<>(distinct));
        }

        private FilterValue.ListValue rangeValue(JsonNode value, String pointer) {
            ArrayNode list = asList(value);
            if (list == null) {
                throw malformed(pointer, "between takes a list [low, high]");
            }
            if (list.size() != 2) {
                throw new QueryFilterValidationException(ValidationErrorCode.VALUE_COUNT_MISMATCH, pointer,
                        "between takes exactly two values, got " + list.size(), details("observed", list.size()));
            }
            return new FilterValue.ListValue(List.of(
                    element(list.get(0), JsonPointers.child(pointer, 0)),
                    element(list.get(1), JsonPointers.child(pointer, 1))));
        }

        private FilterValue.Scalar element(JsonNode item, String pointer) {
            if (!isScalar(item)) {
                throw malformed(pointer, "list elements must be scalars (string, number, boolean)");
            }
            checkScalar(item, pointer);
            return scalar(item);
        }

        /**
         * Strings: within the length limit and valid Unicode (MySQL would compare an unpaired surrogate as '?').
         * Numbers: 1e-400 would become 0 and match zeros; 1e400 stays Infinity, which pre-flight rejects by type.
         */
        private void checkScalar(JsonNode value, String pointer) {
            if (value.isTextual()) {
                int length = Json.codePoints(value.textValue());
                if (length > limits.maxStringLength()) {
                    throw outOfBounds(pointer, "string value longer than " + limits.maxStringLength()
                            + " characters", length, limits.maxStringLength());
                }
                if (LoneSurrogates.indexIn(value.textValue()) >= 0) {
                    throw malformed(pointer, "string value " + LoneSurrogates.escape(value.textValue())
                            + " has an unpaired UTF-16 surrogate; text must be valid Unicode");
                }
            } else if (value.isNumber() && !Json.fitsDouble(value) && value.doubleValue() == 0) {
                throw new QueryFilterValidationException(ValidationErrorCode.VALUE_OUT_OF_BOUNDS, pointer,
                        "number " + value.asText() + " is not zero but too small for a double",
                        details("observed", value.asText()));
            }
        }
    }

    private static boolean isScalar(JsonNode n) {
        return n.isTextual() || n.isNumber() || n.isBoolean();
    }

    /** Classifies as StarDust does: integer iff a JSON integer within int64, otherwise a float. */
    private static FilterValue.Scalar scalar(JsonNode n) {
        if (n.isTextual()) {
            return new FilterValue.StringValue(n.textValue());
        }
        if (n.isBoolean()) {
            return new FilterValue.BooleanValue(n.booleanValue());
        }
        if (Json.isInteger(n)) {
            return new FilterValue.IntegerValue(n.longValue());
        }
        return new FilterValue.FloatValue(n.doubleValue());
    }

    /** An object, or an empty array standing in for an empty object (PHP cannot tell them apart); else null. */
    private static ObjectNode asObject(JsonNode n) {
        if (n instanceof ObjectNode o) {
            return o;
        }
        if (n.isArray() && n.isEmpty()) {
            return JsonNodeFactory.instance.objectNode();
        }
        return null;
    }

    /** A list, or an empty object standing in for an empty list; else null. */
    private static ArrayNode asList(JsonNode n) {
        if (n instanceof ArrayNode a) {
            return a;
        }
        if (n.isObject() && n.isEmpty()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        return null;
    }

    private static char firstNonWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
        }
        return 0;
    }

    /** UTF-8 length without encoding; a lone surrogate counts as the one byte Java would substitute. */
    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The JSON value as plain Java (String, Integer/Long/BigInteger, Double, Boolean, null, Map, List). */
    private static Object plain(JsonNode n) {
        return Json.mapper().convertValue(n, Object.class);
    }

    private static Map<String, Object> details(String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(key, value);
        return d;
    }

    private QueryFilterValidationException payloadTooLarge(long bytes) {
        return outOfBounds(JsonPointers.ROOT, "filter document is " + bytes + " bytes, over the "
                + limits.maxPayloadBytes() + "-byte limit", bytes, limits.maxPayloadBytes());
    }

    private static QueryFilterValidationException outOfBounds(String pointer, String message, long observed,
                                                              int limit) {
        Map<String, Object> d = new LinkedHashMap<>();
        // Integers where they fit, so details read the same whether a count or a byte size overflowed.
        d.put("observed", observed <= Integer.MAX_VALUE ? (Object) (int) observed : (Object) observed);
        d.put("limit", limit);
        return new QueryFilterValidationException(ValidationErrorCode.VALUE_OUT_OF_BOUNDS, pointer, message, d);
    }

    private static QueryFilterValidationException envelope(String pointer, String message) {
        return new QueryFilterValidationException(ValidationErrorCode.ENVELOPE_MALFORMED, pointer, message);
    }

    private static QueryFilterValidationException malformed(String pointer, String message) {
        return new QueryFilterValidationException(ValidationErrorCode.NODE_MALFORMED, pointer,
                message + " (at " + (pointer.isEmpty() ? "the root" : pointer) + ")");
    }
}
