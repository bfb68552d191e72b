package io.stardust.daemon.process;

import io.stardust.config.ConfigOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the runtime needs from a process's configuration: where its shutdown flag file lives and how long it may
 * drain after a stop request. Each process resolves its own shutdown-timeout option ({@code daemonShutdownTimeout},
 * {@code httpShutdownTimeout}, {@code registryMirrorShutdownTimeout}, …) and the shared {@link #PID_FILE_DIR}.
 *
 * @param pidFileDir      directory of {@code <process>.shutdown} (and of singleton daemons' {@code <daemon>.pid})
 * @param shutdownTimeout how long the process may drain after a stop request; the runtime ends a process that has
 *                        not stopped {@link ProcessRuntime#CLOSE_GRACE} after it (exit 1)
 */
public record ProcessSettings(Path pidFileDir, Duration shutdownTimeout) {

    public static final ConfigOption<String> PID_FILE_DIR = ConfigOption.string("pidFileDir",
            Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(),
            "Directory of the shutdown flag files of every long-running process (<name>.shutdown: watcher, "
                    + "reconciler, liberator, serve, registry-mirror, gateway) and of the singleton daemons' PID files "
                    + "(<daemon>.pid); created if missing.");

    public ProcessSettings {
        Objects.requireNonNull(pidFileDir, "pidFileDir");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must not be negative, got " + shutdownTimeout);
        }
    }
}
