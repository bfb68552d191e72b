package io.stardust.kit;

/**
 * The Kafka Connect REST API answered a request with an error status; carries the status and Connect's own
 * message (for example the validation errors of a connector configuration).
 */
public final class ConnectRestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String connectMessage;

    ConnectRestException(String request, int status, String connectMessage) {
        super(request + " answered " + status + ": " + connectMessage);
        this.status = status;
        this.connectMessage = connectMessage;
    }

    /** The HTTP status, e.g. 400 for an invalid configuration, 404 for an unknown connector, 409 for a duplicate. */
    public int status() {
        return status;
    }

    /** The {@code message} member of Connect's error body (the whole body if it had none). */
    public String connectMessage() {
        return connectMessage;
    }
}
