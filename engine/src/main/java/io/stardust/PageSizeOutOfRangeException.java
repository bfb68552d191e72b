package io.stardust;

/** A page size outside [1, 1000]. */
public class PageSizeOutOfRangeException extends StarDustException {
    public PageSizeOutOfRangeException(String message) {
        super(message);
    }

    public PageSizeOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
