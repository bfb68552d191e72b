package io.stardust;

/** A MySQL advisory lock (GET_LOCK) could not be acquired in time. */
public class AdvisoryLockTimeoutException extends StarDustException {
    public AdvisoryLockTimeoutException(String message) {
        super(message);
    }

    public AdvisoryLockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
