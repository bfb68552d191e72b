package io.stardust;


/** A database error that is not one of the engine's typed errors; the cause is the driver's SQLException. */
public final class DatabaseException extends StarDustException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
