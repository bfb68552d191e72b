package io.stardust;

/**
 * A model definition the registry refuses as given: an empty model or field name, one longer than 128 characters,
 * or a field without a declared type. Raised by {@code defineModel} before any SQL; nothing is registered.
 */
public class InvalidModelDefinitionException extends StarDustException {
    public InvalidModelDefinitionException(String message) {
        super(message);
    }
}
