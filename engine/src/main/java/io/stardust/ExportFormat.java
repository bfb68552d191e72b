package io.stardust;

import java.util.Locale;

/** An export artifact's format, stored in {@code stardust_export_jobs.format} under its wire name. */
public enum ExportFormat {
    /** RFC 4180: a header line of the exported fields, one CRLF-terminated line per entry. */
    CSV("csv", "text/csv"),
    /** One JSON array of entry objects. */
    JSON("json", "application/json"),
    /** One JSON object per entry, each on its own LF-terminated line. */
    NDJSON("ndjson", "application/x-ndjson");

    private final String wireName;
    private final String contentType;

    ExportFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    /** {@code csv}, {@code json} or {@code ndjson}: the column value and the file extension. */
    public String wireName() {
        return wireName;
    }

    /** The media type of an uncompressed artifact. */
    public String contentType() {
        return contentType;
    }

    /** The format of a wire name (case-insensitive); {@link IllegalArgumentException} names the accepted ones. */
    public static ExportFormat of(String wireName) {
        for (ExportFormat f : values()) {
            if (f.wireName.equals(wireName == null ? null : wireName.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("export format must be csv, json or ndjson, got " + wireName);
    }
}
