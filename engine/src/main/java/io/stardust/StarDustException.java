package io.stardust;

/** Base of every typed StarDust error. All are unchecked. */
public class StarDustException extends RuntimeException {
    public StarDustException(String message) {
        super(message);
    }

    public StarDustException(String message, Throwable cause) {
        super(message, cause);
    }
}
