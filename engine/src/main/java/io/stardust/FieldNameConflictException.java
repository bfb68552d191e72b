package io.stardust;

/** A field rename to a name another field of the model already uses (or is being renamed from). */
public class FieldNameConflictException extends StarDustException {
    public FieldNameConflictException(String message) {
        super(message);
    }
}
