package io.stardust.connect.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Connect's in-memory values as JSON: a {@link Struct} (JsonConverter with schemas, Avro, Protobuf), a schemaless
 * {@code Map}/{@code List} (JsonConverter without schemas), and their leaves. Bytes become base64 text, logical
 * dates and timestamps ISO-8601 text, decimals exact numbers.
 */
final class ConnectJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ConnectJson() {
    }

    static JsonNode toNode(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Struct s) {
            ObjectNode o = NODES.objectNode();
            for (Field f : s.schema().fields()) {
                o.set(f.name(), toNode(s.get(f)));
            }
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, val) -> o.set(String.valueOf(k), toNode(val)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(e -> a.add(toNode(e)));
            return a;
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (v instanceof Float || v instanceof Double) {
            return NODES.numberNode(((Number) v).doubleValue());
        }
        if (v instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (v instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (v instanceof byte[] b) {
            return NODES.textNode(Base64.getEncoder().encodeToString(b));
        }
        if (v instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return NODES.textNode(Base64.getEncoder().encodeToString(out));
        }
        if (v instanceof Date d) {
            return NODES.textNode(d.toInstant().toString());
        }
        return NODES.textNode(v.toString());
    }
}
