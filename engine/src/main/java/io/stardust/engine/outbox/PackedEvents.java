package io.stardust.engine.outbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The {@code events} column of an outbox row that carries several events: a JSON array with one array per event,
 * {@code [type, tenantId, modelId, entryId, key or null, fields JSON text or null]}, in recording order; a change
 * from a file-import line appends {@code importId, line, dead-letter reason or null} (rows without them read as
 * before).
 *
 * <p>Event ids are not stored: event {@code i} of a row has the row's random {@code event_id} with {@code i}
 * XORed into its low bits, so event 0's id is the row's, every id of a row is distinct, stays a version-4 UUID
 * (version and variant bits untouched), and is the same each time the row is published again (consumers
 * deduplicate on it).
 */
final class PackedEvents {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PackedEvents() {
    }

    static byte[] pack(List<OutboxStore.Change> changes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(changes.size() * 48);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (OutboxStore.Change ch : changes) {
                g.writeStartArray();
                g.writeString(ch.type());
                g.writeNumber(ch.tenantId());
                g.writeNumber(ch.modelId());
                g.writeNumber(ch.entryId());
                g.writeString(ch.entryKey());
                g.writeString(ch.fieldsJson());
                if (ch.origin() != null) {
                    g.writeString(ch.origin().importId());
                    g.writeNumber(ch.origin().line());
                    g.writeString(ch.origin().deadLettered());
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output cannot fail
        }
        return out.toByteArray();
    }

    static void unpack(byte[] packed, long rowId, UUID first, LocalDateTime committedAt, List<OutboxEvent> out) {
        try (JsonParser p = FACTORY.createParser(packed)) {
            expect(p.nextToken(), JsonToken.START_ARRAY, rowId);
            long i = 0;
            while (p.nextToken() == JsonToken.START_ARRAY) {
                String type = text(p);
                long tenantId = number(p);
                int modelId = (int) number(p);
                long entryId = number(p);
                String key = text(p);
                String fields = text(p);
                ImportOrigin origin = null;
                JsonToken next = p.nextToken();
                if (next != JsonToken.END_ARRAY) {
                    String importId = p.getText();
                    long line = number(p);
                    origin = new ImportOrigin(importId, line, text(p));
                    next = p.nextToken();
                }
                expect(next, JsonToken.END_ARRAY, rowId);
                UUID id = new UUID(first.getMostSignificantBits(), first.getLeastSignificantBits() ^ i++);
                out.add(new OutboxEvent(rowId, id.toString(), type, tenantId, modelId, entryId, key, committedAt, fields, origin));
            }
        } catch (IOException e) {
            throw new IllegalStateException("outbox row " + rowId + " has a malformed events column: " + e.getMessage(), e);
        }
    }

    private static String text(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static long number(JsonParser p) throws IOException {
        p.nextToken();
        return p.getLongValue();
    }

    private static void expect(JsonToken got, JsonToken want, long rowId) {
        if (got != want) {
            throw new IllegalStateException("outbox row " + rowId + " has a malformed events column: expected " + want
                    + ", got " + got);
        }
    }
}
