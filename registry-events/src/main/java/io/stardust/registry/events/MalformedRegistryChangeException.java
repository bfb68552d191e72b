package io.stardust.registry.events;

/** A record on the registry topic that is not a registry change event; the message says what is wrong and where. */
public final class MalformedRegistryChangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedRegistryChangeException(String message) {
        super(message);
    }

    public MalformedRegistryChangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
