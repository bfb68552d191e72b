package io.stardust;

/** A filter names a field the model does not have. */
public class UnknownFieldException extends StarDustException {
    public UnknownFieldException(String message) {
        super(message);
    }

    public UnknownFieldException(String message, Throwable cause) {
        super(message, cause);
    }
}
