package io.stardust;

/** DDL was attempted on a slot page that already holds rows. */
public class PopulatedPageDDLException extends StarDustException {
    public PopulatedPageDDLException(String message) {
        super(message);
    }

    public PopulatedPageDDLException(String message, Throwable cause) {
        super(message, cause);
    }
}
