package io.stardust.daemon.process;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.engine.event.EventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How every long-running process starts and stops (daemons, {@code serve}, the registry mirror, the gateway):
 * <ol>
 *   <li>{@code config_resolved} is logged once, secrets masked ({@link ResolvedConfig});</li>
 *   <li>the optional {@link Guard} is taken (a singleton's PID file); a refused guard ends the run here, before
 *       the flag file is touched;</li>
 *   <li>the directory of the flag file {@code <pidFileDir>/<name>.shutdown} is created and a stale flag deleted
 *       ({@code stale_shutdown_flag_removed}, decision Q10);</li>
 *   <li>SIGTERM and SIGINT are handled (not a shutdown hook: handling them is what lets a drained process exit 0
 *       rather than 143/130, without halting the JVM over other shutdown hooks) and a watch thread stats the flag
 *       file every poll interval: either becomes one stop request on the {@link ShutdownSignal}
 *       ({@code stop_requested});</li>
 *   <li>the {@link Body} runs: it works until the signal is requested, then drains and returns its exit code;</li>
 *   <li>the body drains within the process's shutdown timeout (its own: {@code daemonShutdownTimeout},
 *       {@code httpShutdownTimeout}, …); if it has not returned {@link #CLOSE_GRACE} after that (time to close
 *       pools, producers and connections once the drain is over), the runtime logs {@code drain_timeout} and ends
 *       the JVM with exit code 1 ({@link ExitCode#FATAL});</li>
 *   <li>exceptions map to exit codes: {@link ConfigException} and the process's declared refusals to 2, anything
 *       else to 1, with one line on stderr.</li>
 * </ol>
 * The caller passes the returned {@link Outcome#exitCode()} to {@code System.exit}.
 */
public final class ProcessRuntime {

    /** Time a process may take to close its resources after its drain, before the runtime ends it. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** The process's work: runs until {@code stop} is requested, drains, returns the exit code. */
    @FunctionalInterface
    public interface Body {
        int run(ShutdownSignal stop) throws Exception;
    }

    /** Taken before anything else touches shared state; released when the body has returned. */
    @FunctionalInterface
    public interface Guard {
        AutoCloseable acquire() throws Exception;
    }

    /**
     * How a run ended.
     *
     * @param exitCode the process exit code
     * @param reason   {@code signal}, {@code shutdown_flag}, {@code requested}, {@code interrupted} (a stop request),
     *                 {@code completed} (the body returned without one), {@code refused} (a declared refusal or a
     *                 configuration error) or {@code failed}
     * @param failure  the exception that ended the run, if any
     * @param started  whether the body was started (the guard was taken and the flag file handled)
     */
    public record Outcome(int exitCode, String reason, Throwable failure, boolean started) {
    }

    private final String name;
    private final ProcessSettings settings;
    private final ConfigDef definition;
    private final ConfigValues values;
    private final Guard guard;
    private final List<Class<? extends Throwable>> refusals;
    private final boolean handleSignals;
    private final Duration pollInterval;
    private final EventLog events;
    private final PrintStream err;
    private final IntConsumer halt;
    private final String correlationId;
    private final ShutdownSignal signal;
    private final AtomicBoolean ran = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    private ProcessRuntime(Builder b) {
        this.name = b.name;
        this.settings = b.settings;
        this.definition = b.definition;
        this.values = b.values;
        this.guard = b.guard;
        this.refusals = List.copyOf(b.refusals);
        this.handleSignals = b.handleSignals;
        this.pollInterval = b.pollInterval;
        this.events = b.events;
        this.err = b.err;
        this.halt = b.halt;
        this.correlationId = b.correlationId == null ? UUID.randomUUID().toString() : b.correlationId;
        this.signal = ShutdownSignal.forProcess(settings.pidFileDir(), name);
    }

    /** A runtime for process {@code name} (also the flag file's name: {@code <pidFileDir>/<name>.shutdown}). */
    public static Builder builder(String name, ProcessSettings settings) {
        return new Builder(ProcessNames.check(name), Objects.requireNonNull(settings));
    }

    public String name() {
        return name;
    }

    public ShutdownSignal signal() {
        return signal;
    }

    public String correlationId() {
        return correlationId;
    }

    public ProcessSettings settings() {
        return settings;
    }

    /** Runs the process to its end. A runtime runs once. */
    public Outcome run(Body body) {
        if (!ran.compareAndSet(false, true)) {
            throw new IllegalStateException("process runtime of " + name + " already ran");
        }
        AutoCloseable held = null;
        List<Runnable> restore = new ArrayList<>();
        Thread watch = null;
        boolean started = false;
        Outcome outcome;
        try {
            logConfig();
            held = guard == null ? null : guard.acquire();
            prepareFlagFile();
            if (handleSignals) {
                restore.add(handle("TERM"));
                restore.add(handle("INT"));
            }
            watch = startWatch();
            started = true;
            int code = body.run(signal);
            outcome = new Outcome(code, signal.reason().map(ShutdownSignal.Reason::label).orElse("completed"),
                    null, true);
        } catch (Exception | Error e) {
            // Errors too (an AssertionError, a StackOverflowError): the process would exit 1 anyway, and this way
            // the guard is released and the watch thread let go.
            boolean refused = isRefusal(e);
            outcome = new Outcome(refused ? ExitCode.USAGE : ExitCode.FATAL, refused ? "refused" : "failed", e,
                    started);
        } finally {
            closeQuietly(held);
            finished.countDown();
            if (watch != null) {
                watch.interrupt();
            }
            restore.forEach(Runnable::run);
        }
        if (outcome.failure() != null) {
            Throwable f = outcome.failure();
            // a refusal is the operator's to fix: the message says what; a fatal error names its type too
            err.println(name + ": " + (outcome.exitCode() == ExitCode.FATAL ? "fatal: " + f : f.getMessage()));
            err.flush();
        }
        return outcome;
    }

    private boolean isRefusal(Throwable e) {
        return e instanceof ConfigException || refusals.stream().anyMatch(type -> type.isInstance(e));
    }

    private void logConfig() {
        if (definition == null) {
            return;
        }
        events.info(ProcessEvents.CONFIG_RESOLVED, "correlation_id", correlationId, "process", name,
                "pid", ProcessHandle.current().pid(), "config", ResolvedConfig.masked(definition, values));
    }

    private void prepareFlagFile() {
        try {
            Files.createDirectories(signal.flagFile().getParent());
        } catch (IOException | RuntimeException e) {
            // Best effort: the process does not need the directory to run, and a signal still stops it; refusing
            // to start over it would refuse a start that works without the flag file.
            err.println(name + ": cannot create " + signal.flagFile().getParent() + " (the shutdown flag file will "
                    + "not work): " + e);
        }
        if (signal.deleteStaleFlag()) {
            events.warning(ProcessEvents.STALE_SHUTDOWN_FLAG_REMOVED, "correlation_id", correlationId,
                    "process", name, "flag_file", signal.flagFile().toString());
        }
    }

    private Runnable handle(String signalName) {
        SignalHandler previous = Signal.handle(new Signal(signalName), s -> signal.request(ShutdownSignal.Reason.SIGNAL));
        return () -> Signal.handle(new Signal(signalName), previous);
    }

    private Thread startWatch() {
        Thread t = new Thread(this::watch, name + "-stop-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Turns the flag file into a request, then bounds the drain. */
    private void watch() {
        try {
            while (!signal.isRequested()) {
                if (finished.getCount() == 0) {
                    return;
                }
                signal.awaitRequest(pollInterval);
            }
            Duration timeout = settings.shutdownTimeout();
            events.info(ProcessEvents.STOP_REQUESTED, "correlation_id", correlationId, "process", name,
                    "reason", signal.reason().map(ShutdownSignal.Reason::label).orElse("requested"),
                    "shutdown_timeout_ms", timeout.toMillis());
            if (!finished.await(timeout.plus(CLOSE_GRACE).toNanos(), TimeUnit.NANOSECONDS)) {
                events.error(ProcessEvents.DRAIN_TIMEOUT, null, "correlation_id", correlationId, "process", name,
                        "shutdown_timeout_ms", timeout.toMillis());
                err.println(name + ": did not stop within its shutdown timeout (" + timeout + ") and "
                        + CLOSE_GRACE.toSeconds() + " s to close; exiting 1");
                err.flush();
                System.out.flush();
                halt.accept(ExitCode.FATAL);
            }
        } catch (InterruptedException e) {
            // the body returned: nothing left to watch
        }
    }

    private void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            err.println(name + ": error while releasing: " + e);
        }
    }

    /** Configures a {@link ProcessRuntime}. */
    public static final class Builder {
        private final String name;
        private final ProcessSettings settings;
        private ConfigDef definition;
        private ConfigValues values;
        private Guard guard;
        private final List<Class<? extends Throwable>> refusals = new ArrayList<>();
        private boolean handleSignals = true;
        private Duration pollInterval = Duration.ofSeconds(1);
        private EventLog events = new EventLog(ProcessEvents.SOURCE);
        private PrintStream err = System.err;
        private IntConsumer halt = code -> Runtime.getRuntime().halt(code);
        private String correlationId;

        private Builder(String name, ProcessSettings settings) {
            this.name = name;
            this.settings = settings;
        }

        /** The configuration to log once at start ({@code config_resolved}), secrets masked. */
        public Builder config(ConfigDef configDefinition, ConfigValues resolved) {
            this.definition = Objects.requireNonNull(configDefinition);
            this.values = Objects.requireNonNull(resolved);
            return this;
        }

        public Builder guard(Guard newGuard) {
            this.guard = Objects.requireNonNull(newGuard);
            return this;
        }

        /** Exceptions that mean "refused to run" (exit 2) besides {@link ConfigException}. */
        @SafeVarargs
        public final Builder refusals(Class<? extends Throwable>... types) {
            refusals.addAll(List.of(types));
            return this;
        }

        /** Whether to handle SIGTERM/SIGINT (default true; false when embedded or in tests). */
        public Builder handleSignals(boolean handle) {
            this.handleSignals = handle;
            return this;
        }

        /** How often the watch thread stats the flag file (default 1 s). */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive, got " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** Where the runtime's events go (default source {@value ProcessEvents#SOURCE}). */
        public Builder events(EventLog eventLog) {
            this.events = Objects.requireNonNull(eventLog);
            return this;
        }

        /** Where the one-line error of a non-zero exit is printed (default {@code System.err}). */
        public Builder err(PrintStream stream) {
            this.err = Objects.requireNonNull(stream);
            return this;
        }

        /** What ends the JVM after a drain timeout (default {@link Runtime#halt}; tests record it instead). */
        public Builder halt(IntConsumer halter) {
            this.halt = Objects.requireNonNull(halter);
            return this;
        }

        /** Shares one correlation id with the process's own events (default a fresh random UUID). */
        public Builder correlationId(String id) {
            this.correlationId = Objects.requireNonNull(id);
            return this;
        }

        public ProcessRuntime build() {
            return new ProcessRuntime(this);
        }
    }
}
