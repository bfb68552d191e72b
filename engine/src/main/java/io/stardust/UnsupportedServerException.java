package io.stardust;

/** The database server is not MySQL 8.0.13 or later (MariaDB and older MySQL are refused before anything is touched). */
public class UnsupportedServerException extends StarDustException {
    public UnsupportedServerException(String message) {
        super(message);
    }

    public UnsupportedServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
