package io.stardust.registry.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.SourcePosition;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Debezium change record (the envelope with {@code before}, {@code after}, {@code source}, {@code op}) into
 * the mirror's own {@link RegistryChange}: the published format is ours, so Debezium's envelope and its logical
 * type encodings (epoch millis for DATETIME, JSON as text) never reach a follower.
 */
final class ChangeEventMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Empty for records that are not row changes (heartbeats, schema changes, tombstones). */
    Optional<RegistryChange> map(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null || value.get("op") == null) {
            return Optional.empty();
        }
        Struct source = value.getStruct("source");
        Op op = Op.fromCode(value.getString("op"));
        ObjectNode key = (ObjectNode) render(record.keySchema(), record.key());
        ObjectNode before = (ObjectNode) nullable(value, "before");
        ObjectNode after = (ObjectNode) nullable(value, "after");
        Object row = source.get("row");
        Object gtid = source.get("gtid");
        SourcePosition position = new SourcePosition(source.getString("file"), source.getInt64("pos"),
                row == null ? 0 : ((Number) row).intValue(), gtid == null ? null : gtid.toString(),
                source.getInt64("server_id"), op == Op.SNAPSHOT);
        return Optional.of(new RegistryChange(op, source.getString("table"), key, before, after, position,
                Instant.ofEpochMilli(source.getInt64("ts_ms"))));
    }

    private static JsonNode nullable(Struct value, String field) {
        Object v = value.get(field);
        return v == null ? null : render(value.schema().field(field).schema(), v);
    }

    static JsonNode render(Schema schema, Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Timestamp":
                    return NODES.textNode(Instant.ofEpochMilli(((Number) v).longValue()).toString());
                case "io.debezium.time.MicroTimestamp":
                    long micros = ((Number) v).longValue();
                    return NODES.textNode(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1000).toString());
                case "io.debezium.time.Date":
                    return NODES.textNode(LocalDate.ofEpochDay(((Number) v).longValue()).toString());
                case "io.debezium.data.Json":
                    try {
                        return MAPPER.readTree(v.toString());
                    } catch (IOException e) {
                        return NODES.textNode(v.toString());
                    }
                default:
                    break;
            }
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> NODES.numberNode(((Number) v).intValue());
            case INT64 -> NODES.numberNode(((Number) v).longValue());
            case FLOAT32, FLOAT64 -> NODES.numberNode(((Number) v).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) v);
            case STRING -> NODES.textNode(v.toString());
            case BYTES -> v instanceof BigDecimal d ? NODES.numberNode(d)
                    : NODES.textNode(Base64.getEncoder().encodeToString(bytes(v)));
            case STRUCT -> struct((Struct) v);
            case ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (Object e : (List<?>) v) {
                    a.add(render(schema.valueSchema(), e));
                }
                yield a;
            }
            case MAP -> NODES.textNode(v.toString());
        };
    }

    private static ObjectNode struct(Struct s) {
        ObjectNode o = NODES.objectNode();
        for (Field f : s.schema().fields()) {
            o.set(f.name(), render(f.schema(), s.get(f)));
        }
        return o;
    }

    private static byte[] bytes(Object v) {
        if (v instanceof ByteBuffer b) {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        }
        return (byte[]) v;
    }
}
