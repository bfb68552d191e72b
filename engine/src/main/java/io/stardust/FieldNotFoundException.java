package io.stardust;

/** A field lifecycle operation on a field that is missing or belongs to another tenant. */
public class FieldNotFoundException extends StarDustException {
    public FieldNotFoundException(String message) {
        super(message);
    }

    public FieldNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
