package io.stardust;

/** A field change while the field's rename is still rewriting entry payloads. */
public class RenameInProgressException extends StarDustException {
    public RenameInProgressException(String message) {
        super(message);
    }
}
