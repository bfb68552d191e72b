package io.stardust;

/** A model rename to a name another model of the tenant already uses. */
public class ModelNameConflictException extends StarDustException {
    public ModelNameConflictException(String message) {
        super(message);
    }
}
