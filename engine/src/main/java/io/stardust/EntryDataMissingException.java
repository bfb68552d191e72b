package io.stardust;

/** A queued entry's row is gone or its payload is not a JSON object. */
public class EntryDataMissingException extends StarDustException {
    public EntryDataMissingException(String message) {
        super(message);
    }

    public EntryDataMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
