package io.stardust;

/** A retype, promotion or demotion while the field's previous backfill is still running. */
public class RetypeInProgressException extends StarDustException {
    public RetypeInProgressException(String message) {
        super(message);
    }

    public RetypeInProgressException(String message, Throwable cause) {
        super(message, cause);
    }
}
