package io.stardust;

/** A tenant id below 1 was given; raised at every public entry point before any SQL runs. */
public class InvalidTenantIdException extends StarDustException {
    public InvalidTenantIdException(String message) {
        super(message);
    }

    public InvalidTenantIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
