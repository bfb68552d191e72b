package io.stardust;

/** A synchronous bulk write of more than 1000 entries; use the asynchronous submission instead. */
public class PayloadTooLargeException extends StarDustException {
    public PayloadTooLargeException(String message) {
        super(message);
    }

    public PayloadTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
