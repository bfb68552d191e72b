package io.stardust;

/** A retype between int/numeric and datetime, which has no meaningful conversion. */
public class IncompatibleRetypeException extends StarDustException {
    public IncompatibleRetypeException(String message) {
        super(message);
    }

    public IncompatibleRetypeException(String message, Throwable cause) {
        super(message, cause);
    }
}
