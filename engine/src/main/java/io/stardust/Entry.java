package io.stardust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;

/**
 * An entry as read back. {@code fields} holds the requested fields in request order: from the slot column when
 * the field is indexed now (typed as the column: integer, double, {@code YYYY-MM-DD HH:MM:SS} text, string),
 * otherwise from the JSON payload. {@link StarDust#get} returns the whole payload in MySQL's key order.
 * Times are UTC.
 */
public record Entry(long id, long tenantId, int modelId, ObjectNode fields, LocalDateTime createdAt, LocalDateTime deletedAt) {
}
