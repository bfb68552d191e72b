package io.stardust.daemon.process;

import io.stardust.engine.db.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "Should the process stop?" — the OR of an in-process request (SIGTERM/SIGINT through {@link ProcessRuntime}, or
 * an embedding caller) and the existence of the flag file {@code <pidFileDir>/<process>.shutdown}.
 *
 * <p>The flag file is stat-ed on every {@link #isRequested()} call; nothing is cached, so a file created by an
 * operator is seen at the next check. Once observed, the request is latched: deleting the file afterwards does
 * not cancel a stop in progress. A running process never deletes the flag itself (other workers of a multi-worker
 * daemon share it); the next start-up removes it as stale ({@link #deleteStaleFlag()}, decision Q10).
 */
public final class ShutdownSignal {

    /** Why the process stopped; {@link #label()} is the {@code reason} of the stop events. */
    public enum Reason {
        SIGNAL("signal"), FLAG_FILE("shutdown_flag"), REQUESTED("requested"), INTERRUPTED("interrupted");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Path flagFile;
    private final AtomicReference<Reason> reason = new AtomicReference<>();
    private final CountDownLatch requested = new CountDownLatch(1);

    public ShutdownSignal(Path flagFile) {
        this.flagFile = flagFile.toAbsolutePath().normalize();
    }

    /** The signal of process {@code name}: flag file {@code <pidFileDir>/<name>.shutdown}. */
    public static ShutdownSignal forProcess(Path pidFileDir, String name) {
        return new ShutdownSignal(pidFileDir.resolve(ProcessNames.check(name) + ".shutdown"));
    }

    public Path flagFile() {
        return flagFile;
    }

    /** Requests a stop. The first reason wins; later calls change nothing. Wakes {@link #sleeper()} sleeps. */
    public void request(Reason why) {
        reason.compareAndSet(null, why);
        requested.countDown();
    }

    /**
     * Waits for an in-process request: a signal, {@link #request}, or the flag file as seen by the
     * {@link ProcessRuntime}'s watch thread (which checks it every poll interval).
     */
    public void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /**
     * Waits up to {@code timeout} for an in-process request; returns whether one was made. Does not look at the
     * flag file: callers poll {@link #isRequested()} between waits.
     */
    public boolean awaitRequest(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until a stop is requested or {@code work} ends by itself (for a long-running process, a failure),
     * whichever comes first; the runtime's watch thread turns the flag file into a request meanwhile.
     */
    public void awaitRequestOr(Future<?> work) throws InterruptedException {
        while (!work.isDone() && !awaitRequest(Duration.ofSeconds(1))) {
            // one-second slices: a Future offers no wake-up to wait on together with the request latch
        }
    }

    /** True once a stop was requested or the flag file exists (checked on every call). */
    public boolean isRequested() {
        if (reason.get() != null) {
            return true;
        }
        if (Files.exists(flagFile)) {
            request(Reason.FLAG_FILE);
            return true;
        }
        return false;
    }

    /** The reason of the first request, if any (does not check the flag file). */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason.get());
    }

    /**
     * Deletes a flag file left over from an earlier run, so it does not stop this process at once (upstream quirk
     * Q10, fixed). Returns whether a file was deleted; the caller logs it. A flag that cannot be deleted is an
     * error: ignoring it would make the process exit 0 immediately and silently.
     */
    public boolean deleteStaleFlag() {
        try {
            return Files.deleteIfExists(flagFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stale shutdown flag " + flagFile, e);
        }
    }

    /**
     * A sleeper that returns as soon as {@link #request} is called, so a signal is acted on at once rather than
     * at the end of the current slice. The flag file is still only seen between slices.
     */
    public Sleeper sleeper() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                requested.await(d.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }
}
