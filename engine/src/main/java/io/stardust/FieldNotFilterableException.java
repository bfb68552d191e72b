package io.stardust;

/** A filter targets a field that is not filterable. */
public class FieldNotFilterableException extends StarDustException {
    public FieldNotFilterableException(String message) {
        super(message);
    }

    public FieldNotFilterableException(String message, Throwable cause) {
        super(message, cause);
    }
}
