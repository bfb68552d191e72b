package io.stardust.engine.outbox;

/**
 * The file-import line a change came from (the streams app's {@code stardust.import.id} and
 * {@code stardust.import.line} headers, carried by the gateway), so the published event accounts for that line.
 *
 * @param importId     the import id (the file's SHA-256, hex)
 * @param line         the 1-based line number in the file
 * @param deadLettered null on an entry's change; on a {@link OutboxEvent#DEAD_LETTERED} event the gateway's DLQ
 *                     reason code, since that line has no entry to describe it
 */
public record ImportOrigin(String importId, long line, String deadLettered) {
    public static ImportOrigin landed(String importId, long line) {
        return new ImportOrigin(importId, line, null);
    }

    public ImportOrigin deadLettered(String reason) {
        return new ImportOrigin(importId, line, reason);
    }
}
