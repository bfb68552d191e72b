package io.stardust;

/** A DLQ replay matched no rows. */
public class DlqReplayNotFoundException extends StarDustException {
    public DlqReplayNotFoundException(String message) {
        super(message);
    }

    public DlqReplayNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
