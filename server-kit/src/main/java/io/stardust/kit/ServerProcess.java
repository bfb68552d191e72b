package io.stardust.kit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A server child process with its {@link Watchdog}: started, stopped cleanly (SIGTERM, then SIGKILL if it hangs)
 * or crashed (SIGKILL). Shared by the embedded MySQL and Kafka so both stop the same way.
 */
final class ServerProcess {
    private final Process process;
    private final Process watchdog;

    private ServerProcess(Process process) {
        this.process = process;
        this.watchdog = Watchdog.guard(process.pid());
    }

    static ServerProcess start(ProcessBuilder builder, String what) {
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM and wait up to {@code timeout}; SIGKILL if the process is still there. */
    void stop(Duration timeout) {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(process, timeout)) {
                process.destroyForcibly();
                waitFor(process, Duration.ofSeconds(10));
            }
        }
        watchdog.destroyForcibly();
    }

    /** SIGKILL: what a crash looks like to the server's data directory. */
    void crash() {
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(30));
        watchdog.destroyForcibly();
    }

    /** Removes a shutdown hook after a normal close; a no-op once the JVM is already shutting down. */
    static void unregister(Thread shutdownHook) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; nothing to remove
        }
    }

    static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines of a log file, for error messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /**
     * {@code classpath} with every relative entry made absolute against this JVM's working directory: a child
     * server runs in its own run directory, where a relative entry (as {@code java -cp lib/*} gives) finds nothing.
     */
    static String absoluteClasspath(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

}
