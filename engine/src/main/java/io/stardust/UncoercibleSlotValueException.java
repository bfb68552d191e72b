package io.stardust;

/** A value cannot be coerced to its field's declared type (or a string is longer than 4096 code points); the whole entry is rolled back. */
public class UncoercibleSlotValueException extends StarDustException {
    public UncoercibleSlotValueException(String message) {
        super(message);
    }

    public UncoercibleSlotValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
