package io.stardust;

/** An update targeted an entry that is missing, belongs to another tenant or is soft-deleted. */
public class EntryNotFoundException extends StarDustException {
    public EntryNotFoundException(String message) {
        super(message);
    }

    public EntryNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
