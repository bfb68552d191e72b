package io.stardust.watcher;

import io.stardust.daemon.SingletonViolationException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A second watcher was started while one already holds {@code <pidFileDir>/watcher.pid}. */
public class WatcherSingletonViolationException extends SingletonViolationException {
    public WatcherSingletonViolationException(String message, Path pidFile, OptionalLong holderPid, Throwable cause) {
        super(message, pidFile, holderPid, cause);
    }
}
