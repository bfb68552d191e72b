package io.stardust.engine.outbox;

import java.time.LocalDateTime;

/**
 * One committed change of an entry, as read from the {@code stardust_entry_events} outbox and as published.
 *
 * @param id          the outbox row id: the publication order (the events of one row share it and are published
 *                    in the order they were recorded)
 * @param eventId     a UUIDv4, unique per event; consumers deduplicate on it (publication is at-least-once)
 * @param type        {@code created}, {@code updated} or {@code deleted}
 * @param entryKey    the external key when the entry has one, else null
 * @param committedAt the write transaction's timestamp (UTC), the same value as the entry's {@code updated_at}
 * @param fieldsJson  the entry's fields after the change (its {@code fields} JSON as stored) when the writer
 *                    recorded after-images, else null; always null for {@code deleted}
 * @param origin      the file-import line the change came from, else null
 */
public record OutboxEvent(long id, String eventId, String type, long tenantId, int modelId, long entryId,
                          String entryKey, LocalDateTime committedAt, String fieldsJson, ImportOrigin origin) {
    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";
    /**
     * Not an entry's change: a file-import line the gateway quarantined in its DLQ (entry and model id 0), recorded
     * in the same transaction as the DLQ row so the import's accounting sees it. Only lines with an origin have one.
     */
    public static final String DEAD_LETTERED = "dead_lettered";
}
