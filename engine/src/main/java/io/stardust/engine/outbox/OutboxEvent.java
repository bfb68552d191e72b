package io.stardust.engine.outbox;

import java.time.LocalDateTime;

/**
 * One committed change of an entry, as stored in the {@code stardust_entry_events} outbox and as published.
 *
 * @param id          the outbox row id: the publication order
 * @param eventId     a UUIDv4, unique per event; consumers deduplicate on it (publication is at-least-once)
 * @param type        {@code created}, {@code updated} or {@code deleted}
 * @param entryKey    the external key when the entry has one, else null
 * @param committedAt the write transaction's timestamp (UTC), the same value as the entry's {@code updated_at}
 */
public record OutboxEvent(long id, String eventId, String type, long tenantId, int modelId, long entryId,
                          String entryKey, LocalDateTime committedAt) {
    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";
}
