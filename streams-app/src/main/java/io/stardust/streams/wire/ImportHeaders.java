package io.stardust.streams.wire;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka headers that carry a file line's identity from the file reader through the topology to
 * {@code stardust.entries} and {@code stardust.imports.rejected}. Values are UTF-8 text. The line itself is the
 * record value, byte for byte as in the file, so nothing about it is re-encoded on the way.
 */
public final class ImportHeaders {
    /** The import id: the file's SHA-256, lower-case hex. */
    public static final String IMPORT_ID = "stardust.import.id";
    /** The file's path relative to the drop directory, as it was dropped. */
    public static final String FILE = "stardust.import.file";
    /** The 1-based line number in the file (for CSV the header row is line 1). */
    public static final String LINE = "stardust.import.line";
    /** {@code ndjson} or {@code csv}. */
    public static final String FORMAT = "stardust.import.format";
    /** CSV only: the tenant id from the file's directory {@code <tenantId>/<model>/}. */
    public static final String TENANT = "stardust.import.tenant";
    /** CSV only: the model name from the file's directory. */
    public static final String MODEL = "stardust.import.model";
    /** CSV only: the header row, as in the file. */
    public static final String CSV_HEADER = "stardust.import.csv.header";
    /** On a line longer than the reader's limit: its length in bytes (the value is then empty). */
    public static final String OVERSIZED = "stardust.import.oversized";
    /** On the end marker that follows a file's last line: how many data lines the file had. */
    public static final String END = "stardust.import.end";

    private ImportHeaders() {
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The header's text, or null when it is absent. */
    public static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static OptionalLong number(Headers headers, String name) {
        String t = text(headers, name);
        if (t == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(t));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
