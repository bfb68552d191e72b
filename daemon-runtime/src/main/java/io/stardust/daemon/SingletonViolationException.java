package io.stardust.daemon;

import io.stardust.StarDustException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A singleton daemon could not take its PID-file lock: another process holds it, or the PID directory or file is
 * unusable (spec §8.0, §11). The CLI maps it to exit code 2. Upstream's two daemon-specific types extend it; a
 * future singleton daemon may use this class directly.
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

    /** The violation type of a daemon: upstream's own type for {@code watcher} and {@code liberator}. */
    public static Factory factoryFor(String daemonName) {
        return switch (daemonName) {
            case "watcher" -> WatcherSingletonViolationException::new;
            case "liberator" -> LiberatorSingletonViolationException::new;
            default -> SingletonViolationException::new;
        };
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
