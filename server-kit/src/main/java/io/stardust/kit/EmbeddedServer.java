package io.stardust.kit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link EmbeddedMySql}, {@link EmbeddedKafka} and {@link EmbeddedConnect} share: one server process in a
 * run directory of its own, and everything that ends it the same way for all three: a clean stop (SIGTERM, then
 * SIGKILL after the stop timeout), a crash (SIGKILL), {@link #close()}, and a JVM shutdown hook, both of which
 * also delete the run directory unless the data is to be kept. A {@link Watchdog} ends the process should this
 * JVM be killed outright.
 */
abstract class EmbeddedServer implements AutoCloseable {
    private final String what;
    private final Path runDir;
    private final boolean keepData;
    private final Duration stopTimeout;
    private final Thread shutdownHook;
    private ServerProcess process;

    /** Registers the shutdown hook at once, so a server that fails half-way through its start is cleaned up too. */
    EmbeddedServer(String what, Path runDir, boolean keepData, Duration stopTimeout) {
        this.what = what;
        this.runDir = runDir;
        this.keepData = keepData;
        this.stopTimeout = stopTimeout;
        this.shutdownHook = new Thread(this::stopAndClean, "embedded-" + what.replaceAll("\\W+", "-") + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the process (handing it to {@link #started}) and returns once the server serves. */
    abstract void launch();

    /** Runs {@code prepare}, then the first {@link #launch()}; if either fails, stops and cleans up before rethrowing. */
    final void startUp(Runnable prepare) {
        try {
            prepare.run();
            launch();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The directory holding this server's configuration, data and logs. */
    public Path runDir() {
        return runDir;
    }

    /** The server's process id, for reading its CPU time from {@code /proc}; fails while it is stopped or crashed. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(what + " is not running");
        }
        return process.pid();
    }

    /** Whether the server process is alive (false after {@link #crash()} until {@link #restart()}). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the server with SIGKILL (what a crash looks like to its data), keeping the run directory for {@link #restart()}. */
    public synchronized void crash() {
        ServerProcess p = process;
        process = null;
        if (p != null) {
            p.crash();
        }
    }

    /**
     * Stops the server cleanly (if it runs) and starts it again on the same ports and run directory; returns once it
     * serves. After {@link #crash()} this is the recovery start.
     */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the server and deletes its run directory (unless the options keep the data). */
    @Override
    public void close() {
        stopAndClean();
        ServerProcess.unregister(shutdownHook);
    }

    synchronized void started(ServerProcess p) {
        process = p;
    }

    /** The process, or null while stopped or crashed. */
    synchronized ServerProcess process() {
        return process;
    }

    /** SIGTERM, SIGKILL if the server does not exit within the stop timeout. */
    synchronized void stop() {
        ServerProcess p = process;
        process = null;
        if (p != null) {
            p.stop(stopTimeout);
        }
    }

    private void stopAndClean() {
        stop();
        if (!keepData) {
            FileTrees.deleteQuietly(runDir);
        }
    }
}
