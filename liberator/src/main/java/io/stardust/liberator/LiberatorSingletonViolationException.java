package io.stardust.liberator;

import io.stardust.daemon.SingletonViolationException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A second liberator was started while one already holds {@code <pidFileDir>/liberator.pid} (spec §8.0, §11). */
public class LiberatorSingletonViolationException extends SingletonViolationException {
    public LiberatorSingletonViolationException(String message, Path pidFile, OptionalLong holderPid, Throwable cause) {
        super(message, pidFile, holderPid, cause);
    }
}
