package io.stardust.ingest.plan;

import java.util.Locale;

/**
 * Why a record can never be written as it is: the ingest DLQ's {@code reason} codes. Infrastructure failures
 * (MySQL or the broker unavailable) are never a reason; they are retried.
 */
public enum RejectReason {
    /** The value is not valid JSON (or not UTF-8). */
    NOT_JSON,
    /** JSON, but not the entry envelope: not an object, a member missing or of the wrong type, a bad key. */
    MALFORMED_ENVELOPE,
    /** A tombstone (null value) whose record key is not {@code tenantId/model/key}. */
    MALFORMED_TOMBSTONE_KEY,
    /** {@code tenantId} below 1. */
    INVALID_TENANT,
    /** The tenant has no models at all. */
    UNKNOWN_TENANT,
    /** The tenant has models, but not this one. */
    UNKNOWN_MODEL,
    /** A field value cannot be coerced to its declared type (or a string is over 4096 characters). */
    UNCOERCIBLE_VALUE,
    /** The model is being deleted (its entries are being purged): no write or delete is taken for it. */
    MODEL_DELETION_IN_PROGRESS,
    /** Key + value bytes over {@code gatewayMaxRecordBytes}. */
    TOO_LARGE,
    /** MySQL refused the record itself with a data error (the rest of its batch was written without it). */
    REJECTED_BY_DATABASE,
    /** An unexpected error while planning this record; the message has the detail. */
    INTERNAL_ERROR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RejectReason parse(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
