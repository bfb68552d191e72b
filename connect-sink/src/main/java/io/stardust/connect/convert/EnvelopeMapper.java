package io.stardust.connect.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.connect.config.SinkConfig.Mapping;
import io.stardust.ingest.source.SourceRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A Connect record as the ingest core's planner reads it: origin from the record's ORIGINAL topic, partition and
 * offset (KIP-793: an SMT that renames the topic does not move positions), key and value as bytes. Values that
 * are already text or bytes pass through untouched (the planner parses them, so a value that is not JSON is
 * quarantined as {@code not_json}); {@code Map} and {@code Struct} values are written as JSON. With a flat
 * mapping, the value's routing fields are moved into an envelope; a value that cannot be read as a JSON object is
 * passed on as it is, so the planner quarantines it with its own reason. Nothing is rejected here: every record
 * decision stays with the planner, and the DLQ holds the envelope that was planned.
 */
public final class EnvelopeMapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Mapping mapping;

    public EnvelopeMapper(Mapping mapping) {
        this.mapping = mapping;
    }

    public SourceRecord toSource(SinkRecord r) {
        long ts = r.timestamp() == null ? 0L : r.timestamp();
        return new SourceRecord(r.originalTopic(), r.originalKafkaPartition(), r.originalKafkaOffset(), keyBytes(r.key()),
                valueBytes(r.value()), ts);
    }

    static byte[] keyBytes(Object key) {
        if (key == null) {
            return null;
        }
        byte[] raw = rawBytes(key);
        if (raw != null) {
            return raw;
        }
        if (key instanceof Number || key instanceof Boolean) {
            return key.toString().getBytes(StandardCharsets.UTF_8);
        }
        return write(ConnectJson.toNode(key));
    }

    byte[] valueBytes(Object value) {
        if (value == null) {
            return null; // a tombstone: the planner reads tenantId/model/key from the record key
        }
        if (!mapping.flat()) {
            byte[] raw = rawBytes(value);
            return raw != null ? raw : write(ConnectJson.toNode(value));
        }
        JsonNode node;
        byte[] raw = rawBytes(value);
        if (raw != null) {
            try {
                node = JSON.readTree(raw);
            } catch (java.io.IOException e) {
                return raw;
            }
        } else {
            node = ConnectJson.toNode(value);
        }
        if (node == null || !node.isObject()) {
            return raw != null ? raw : write(node);
        }
        return write(envelope((ObjectNode) node));
    }

    /** The flat record's routing fields become the envelope's members; every other field is an entry field. */
    private ObjectNode envelope(ObjectNode flat) {
        ObjectNode env = NODES.objectNode();
        ObjectNode fields = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = flat.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.equals(mapping.tenantField())) {
                env.set("tenantId", f.getValue());
            } else if (name.equals(mapping.modelField())) {
                env.set("model", f.getValue());
            } else if (name.equals(mapping.keyField())) {
                JsonNode k = f.getValue();
                env.set("key", k.isNumber() ? NODES.textNode(k.asText()) : k);
            } else {
                fields.set(name, f.getValue());
            }
        }
        if (!mapping.model().isEmpty()) {
            env.put("model", mapping.model());
        }
        if (!mapping.keyField().isEmpty() && (env.get("key") == null || env.get("key").isNull())) {
            // Upserts by key were configured: a record without its key must not silently insert a new entry.
            // A non-string key makes the planner quarantine it as malformed_envelope, naming the missing field.
            env.set("key", NODES.objectNode().put("missing", mapping.keyField()));
        }
        env.set("fields", fields);
        return env;
    }

    private static byte[] rawBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree as JSON", e);
        }
    }
}
