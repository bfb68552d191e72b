package io.stardust.streams.wire;

import java.util.Locale;

/**
 * Why an imported line is rejected. The codes shared with the ingest gateway's DLQ mean the same there; the CSV
 * and size codes exist only here.
 */
public enum LineRejection {
    /** An NDJSON line that is not one JSON value (or not UTF-8). */
    NOT_JSON,
    /** JSON, but not the entry envelope: not an object, a member missing or of the wrong type. */
    MALFORMED_ENVELOPE,
    /** A tenant id below 1, or a CSV directory name that is not a tenant id. */
    INVALID_TENANT,
    /** The tenant has no models at all. */
    UNKNOWN_TENANT,
    /** The tenant has models, but not this one. */
    UNKNOWN_MODEL,
    /** A value of a filterable field cannot be coerced to the field's declared type. */
    UNCOERCIBLE_VALUE,
    /** The model is being deleted. */
    MODEL_DELETION_IN_PROGRESS,
    /** A CSV row with more or fewer cells than the header row names. */
    WRONG_COLUMN_COUNT,
    /** A CSV row that is not RFC 4180 (an unterminated quote, text after a closing quote). */
    MALFORMED_CSV,
    /** A line longer than {@code importMaxLineBytes}. */
    TOO_LARGE,
    /** An unexpected error while validating this line; the message has the detail. */
    INTERNAL_ERROR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LineRejection parse(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
