package io.stardust.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One change of one registry row, as published on {@code stardust.registry}. {@code before} and {@code after} are
 * the full rows (column name to value) before and after the change; {@code before} is null for creates and
 * snapshot reads, {@code after} for deletes. Treat the JSON nodes as read-only.
 *
 * @param table       the registry table, e.g. {@code stardust_fields}
 * @param key         the row's primary key columns, e.g. {@code {"id":7}}
 * @param committedAt when the transaction was written to the binlog (seconds precision), or when the snapshot read it
 */
public record RegistryChange(Op op, String table, ObjectNode key, ObjectNode before, ObjectNode after,
                             SourcePosition source, Instant committedAt) {

    public RegistryChange {
        if (op == null || table == null || key == null || source == null || committedAt == null) {
            throw new IllegalArgumentException("a registry change needs op, table, key, source and committedAt");
        }
    }

    /** The row this change is about: {@code table} plus the primary key, as carried in the Kafka record key. */
    public String rowKey() {
        return RegistryChangeCodec.rowKey(table, key);
    }

    /**
     * Identifies this change across re-deliveries: table, primary key and source position. A change the mirror
     * sends twice (after a crash) carries the same key both times; two different changes never share one.
     */
    public String idempotencyKey() {
        return rowKey() + "@" + source;
    }

    /** The row as it is after this change: {@code after}, or {@code before} for a delete. */
    public JsonNode row() {
        return after != null ? after : before;
    }
}
