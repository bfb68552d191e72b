package io.stardust.registry.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The wire format of {@code stardust.registry}, in one place for the mirror that writes it and every process that
 * reads it. Record key: {@code {"table":"stardust_fields","key":{"id":7}}} (the same bytes for every change of a
 * row, so compaction keeps each row's latest change and the default partitioner keeps a row on one partition).
 * Record value: the change event described by {@code schemas/registry-change.schema.json}; a null value (a
 * tombstone) follows a delete.
 */
public final class RegistryChangeCodec {
    /** Version of the event layout, carried as {@code schemaVersion}; additive changes keep it. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RegistryChangeCodec() {
    }

    /** The record key's text for a row: table first, then the primary key columns in key order. */
    public static String rowKey(String table, ObjectNode key) {
        ObjectNode k = NODES.objectNode();
        k.put("table", table);
        k.set("key", key);
        return write(k);
    }

    public static byte[] encodeKey(RegistryChange change) {
        return change.rowKey().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] encodeValue(RegistryChange c) {
        ObjectNode v = NODES.objectNode();
        v.put("schemaVersion", SCHEMA_VERSION);
        v.put("op", c.op().code());
        v.put("table", c.table());
        v.set("key", c.key());
        v.set("before", c.before() == null ? NODES.nullNode() : c.before());
        v.set("after", c.after() == null ? NODES.nullNode() : c.after());
        ObjectNode s = v.putObject("source");
        s.put("file", c.source().file());
        s.put("pos", c.source().pos());
        s.put("row", c.source().row());
        if (c.source().gtid() == null) {
            s.putNull("gtid");
        } else {
            s.put("gtid", c.source().gtid());
        }
        s.put("serverId", c.source().serverId());
        s.put("snapshot", c.source().snapshot());
        v.put("committedAt", c.committedAt().toString());
        v.put("idempotencyKey", c.idempotencyKey());
        return write(v).getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a record value; throws {@link MalformedRegistryChangeException} naming the offending field. */
    public static RegistryChange decode(byte[] value) {
        if (value == null) {
            throw new MalformedRegistryChangeException("a tombstone (null value) is not a change event");
        }
        JsonNode v;
        try {
            v = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new MalformedRegistryChangeException("registry change is not JSON: " + e.getMessage(), e);
        }
        if (v == null || !v.isObject()) {
            throw new MalformedRegistryChangeException("registry change must be a JSON object");
        }
        int version = field(v, "schemaVersion").asInt();
        if (version != SCHEMA_VERSION) {
            throw new MalformedRegistryChangeException("/schemaVersion: unsupported version " + version
                    + " (this reader knows " + SCHEMA_VERSION + ")");
        }
        Op op;
        try {
            op = Op.fromCode(text(v, "op"));
        } catch (IllegalArgumentException e) {
            throw new MalformedRegistryChangeException("/op: " + e.getMessage(), e);
        }
        JsonNode s = field(v, "source");
        SourcePosition source;
        try {
            JsonNode gtid = s.get("gtid");
            source = new SourcePosition(text(s, "file"), field(s, "pos").asLong(), field(s, "row").asInt(),
                    gtid == null || gtid.isNull() ? null : gtid.asText(), field(s, "serverId").asLong(),
                    field(s, "snapshot").asBoolean());
        } catch (IllegalArgumentException e) {
            throw new MalformedRegistryChangeException("/source: " + e.getMessage(), e);
        }
        Instant committedAt;
        try {
            committedAt = Instant.parse(text(v, "committedAt"));
        } catch (DateTimeParseException e) {
            throw new MalformedRegistryChangeException("/committedAt: not an ISO-8601 instant", e);
        }
        return new RegistryChange(op, text(v, "table"), object(v, "key", false), object(v, "before", true),
                object(v, "after", true), source, committedAt);
    }

    private static JsonNode field(JsonNode v, String name) {
        JsonNode f = v.get(name);
        if (f == null || f.isNull()) {
            throw new MalformedRegistryChangeException("/" + name + ": missing");
        }
        return f;
    }

    private static String text(JsonNode v, String name) {
        JsonNode f = field(v, name);
        if (!f.isTextual()) {
            throw new MalformedRegistryChangeException("/" + name + ": must be a string");
        }
        return f.asText();
    }

    private static ObjectNode object(JsonNode v, String name, boolean nullable) {
        JsonNode f = v.get(name);
        if ((f == null || f.isNull()) && nullable) {
            return null;
        }
        if (f == null || !f.isObject()) {
            throw new MalformedRegistryChangeException("/" + name + ": must be an object" + (nullable ? " or null" : ""));
        }
        return (ObjectNode) f;
    }

    private static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
