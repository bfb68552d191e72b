package io.stardust;

/** A pagination cursor that does not decode; the message starts with 'Cursor decode failed'. */
public class InvalidCursorException extends StarDustException {
    public InvalidCursorException(String message) {
        super(message);
    }

    public InvalidCursorException(String message, Throwable cause) {
        super(message, cause);
    }
}
