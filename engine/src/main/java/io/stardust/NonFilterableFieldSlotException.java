package io.stardust;

/** A slot reservation was requested for a field that is not filterable (a caller bug, not a query error). */
public class NonFilterableFieldSlotException extends StarDustException {
    public NonFilterableFieldSlotException(String message) {
        super(message);
    }

    public NonFilterableFieldSlotException(String message, Throwable cause) {
        super(message, cause);
    }
}
