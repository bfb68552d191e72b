package io.stardust.gateway.consumer;

import io.stardust.engine.outbox.ImportOrigin;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads the file-import line a record came from: the streams app's headers {@code stardust.import.id} (the
 * file's SHA-256, 64 lower-case hex digits) and {@code stardust.import.line} (a positive line number). Headers
 * that are absent or not of that form are no origin: the record is written as any other producer's, never
 * refused for its headers.
 */
final class ImportLineHeaders {
    static final String IMPORT_ID = "stardust.import.id";
    static final String LINE = "stardust.import.line";

    private ImportLineHeaders() {
    }

    static ImportOrigin origin(Headers headers) {
        String id = text(headers.lastHeader(IMPORT_ID));
        String line = text(headers.lastHeader(LINE));
        if (id == null || line == null || !id.matches("[0-9a-f]{64}") || !line.matches("[1-9][0-9]{0,17}")) {
            return null;
        }
        return ImportOrigin.landed(id, Long.parseLong(line));
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
