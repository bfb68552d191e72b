package io.stardust;

/** A filter targets a filterable field whose slot is backfilling, tombstoned or unmapped, so it cannot be filtered now. */
public class FieldNotIndexedException extends StarDustException {
    public FieldNotIndexedException(String message) {
        super(message);
    }

    public FieldNotIndexedException(String message, Throwable cause) {
        super(message, cause);
    }
}
