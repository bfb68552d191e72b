package io.stardust.streams.topology;

import io.stardust.streams.wire.ImportHeaders;
import org.apache.kafka.common.header.Headers;

/**
 * One line of a dropped file as the reader put it on {@code stardust.imports}: the raw bytes and where they came
 * from. {@code tenant}, {@code model} and {@code csvHeader} are set for CSV lines only; {@code oversizedBytes} is
 * set when the line was longer than the reader's limit (its bytes were then not sent).
 */
record ImportLine(String importId, String file, long line, String format, byte[] value, String tenant, String model,
                  String csvHeader, Long oversizedBytes) {

    static final String NDJSON = "ndjson";
    static final String CSV = "csv";

    static ImportLine of(Headers h, byte[] value) {
        var oversized = ImportHeaders.number(h, ImportHeaders.OVERSIZED);
        return new ImportLine(ImportHeaders.text(h, ImportHeaders.IMPORT_ID), ImportHeaders.text(h, ImportHeaders.FILE),
                ImportHeaders.number(h, ImportHeaders.LINE).orElse(0), ImportHeaders.text(h, ImportHeaders.FORMAT), value,
                ImportHeaders.text(h, ImportHeaders.TENANT), ImportHeaders.text(h, ImportHeaders.MODEL),
                ImportHeaders.text(h, ImportHeaders.CSV_HEADER), oversized.isPresent() ? oversized.getAsLong() : null);
    }
}
