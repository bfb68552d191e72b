package io.stardust.daemon;

import io.stardust.StarDustException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A singleton daemon could not take its PID-file lock: another process holds it, or the PID directory or file is
 * unusable. The runtime maps it to exit code 2. The Watcher's and the Liberator's own types (upstream's
 * names) extend it in their modules; another singleton daemon may use this class directly.
 */
public class SingletonViolationException extends StarDustException {

    /** Creates a daemon's violation exception; the constructors of the subclasses fit. */
    @FunctionalInterface
    public interface Factory {
        SingletonViolationException create(String message, Path pidFile, OptionalLong holderPid, Throwable cause);
    }

    private final Path pidFile;
    private final Long holderPid;

    public SingletonViolationException(String message, Path pidFile, OptionalLong holderPid, Throwable cause) {
        super(message, cause);
        this.pidFile = pidFile;
        this.holderPid = holderPid.isPresent() ? holderPid.getAsLong() : null;
    }

    /** The PID file that could not be locked (or whose directory could not be created). */
    public Path pidFile() {
        return pidFile;
    }

    /** The PID read from the file, when the lock is held elsewhere and the file held a number. */
    public OptionalLong holderPid() {
        return holderPid == null ? OptionalLong.empty() : OptionalLong.of(holderPid);
    }
}
