package io.stardust.daemon;

import io.stardust.config.ConfigException;
import io.stardust.engine.event.EventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.event.Level;

/**
 * Runs one daemon for a CLI command and returns its exit code (spec §12): 0 after a clean stop (signal, flag file,
 * request), 1 after a fatal error, 2 on a singleton violation or a configuration error.
 *
 * <p>Order of events in {@link #run()}:
 * <ol>
 *   <li>singleton daemons take the PID-file guard (a refused instance stops here with 2, before touching the
 *       database or the flag file);</li>
 *   <li>a stale {@code <daemon>.shutdown} flag is deleted and {@code stale_shutdown_flag_removed} logged (Q10);
 *       for a singleton only once the guard is held, so a refused duplicate can never eat the flag meant for the
 *       running instance;</li>
 *   <li>a JVM shutdown hook is installed: on SIGTERM/SIGINT it requests shutdown, waits up to
 *       {@code daemonShutdownTimeout} for the loop to finish its current tick and for this method to clean up, and
 *       then halts the JVM with this method's exit code — otherwise the JVM would report the signal (143/130)
 *       even after a clean drain. If the tick does not finish in time the hook gives up
 *       ({@code daemon_drain_timeout}) and the JVM exits with the signal's status;</li>
 *   <li>the {@link TickableFactory} builds the daemon; {@code daemon_started};</li>
 *   <li>the {@link PollLoop} runs with a {@link DbOutagePolicy} until shutdown or a fatal error;</li>
 *   <li>the tickable is closed (if {@link AutoCloseable}), the guard released, {@code daemon_stopped} logged.</li>
 * </ol>
 *
 * <p>Because the hook halts the JVM, other shutdown hooks of the process may be cut short after a signal; a daemon
 * that needs cleanup does it in its tickable's {@code close()}, which runs before the halt.
 *
 * <p>Typical use in a CLI command:
 * <pre>{@code
 * ConfigValues values = ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS, WatcherConfig.OPTIONS)
 *         .resolve(configFile);
 * int code = DaemonRunner.builder("watcher", DaemonConfig.from(values))
 *         .singleton()                                    // watcher.pid, WatcherSingletonViolationException
 *         .idleInterval(Duration.ofSeconds(values.get(WatcherConfig.POLL_INTERVAL_SECONDS)))
 *         .tickableFactory(() -> Watcher.create(values))   // built after the guard is held
 *         .build()
 *         .run();
 * System.exit(code);
 * }</pre>
 */
public final class DaemonRunner {

    private final String daemonName;
    private final DaemonConfig config;
    private final TickableFactory factory;
    private final SingletonViolationException.Factory singleton;
    private final PollSettings pollSettings;
    private final boolean handleSignals;
    private final Sleeper sleeper;
    private final Clock clock;
    private final EventLog events;
    private final PrintStream err;
    private final ShutdownSignal signal;
    private final String correlationId;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode = ExitCode.FATAL;

    private DaemonRunner(Builder b) {
        this.daemonName = b.daemonName;
        this.config = b.config;
        this.factory = Objects.requireNonNull(b.factory, "no tickable given");
        this.singleton = b.singleton;
        PollSettings settings = PollSettings.of(b.idleInterval, config.idleBackoff())
                .withWorkDoneDelay(b.workDoneDelay)
                .withSlice(b.slice);
        this.pollSettings = b.capacityWait == null ? settings : settings.withCapacityWait(b.capacityWait);
        this.handleSignals = b.handleSignals;
        this.signal = ShutdownSignal.forDaemon(config.pidFileDir(), daemonName);
        this.sleeper = b.sleeper == null ? signal.sleeper() : b.sleeper;
        this.clock = b.clock;
        this.events = b.events;
        this.err = b.err;
        this.correlationId = UuidV4.secure().next();
    }

    /** A runner for daemon {@code daemonName} ({@code watcher}, {@code reconciler}, …). */
    public static Builder builder(String daemonName, DaemonConfig config) {
        return new Builder(DaemonNames.check(daemonName), Objects.requireNonNull(config));
    }

    /** The shutdown signal; an embedding caller may {@link ShutdownSignal#request request} a stop through it. */
    public ShutdownSignal shutdownSignal() {
        return signal;
    }

    /** Stops the daemon after its current tick (as a signal would, without the JVM shutting down). */
    public void requestShutdown() {
        signal.request(ShutdownSignal.Reason.REQUESTED);
    }

    public PollSettings pollSettings() {
        return pollSettings;
    }

    /** Runs the daemon to the end and returns the process exit code. A runner runs once. */
    public int run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("daemon runner for " + daemonName + " already ran");
        }
        Thread hook = null;
        PidFileGuard guard = null;
        Tickable tickable = null;
        PollLoop loop = null;
        int code;
        String reason;
        Throwable failure = null;
        try {
            if (singleton != null) {
                guard = PidFileGuard.acquire(config.pidFileDir(), daemonName, singleton);
            }
            ensureFlagDirectory();
            if (signal.deleteStaleFlag()) {
                events.warning(DaemonEvents.STALE_SHUTDOWN_FLAG_REMOVED, "correlation_id", correlationId,
                        "daemon", daemonName, "flag_file", signal.flagFile().toString());
            }
            if (handleSignals) {
                hook = installShutdownHook();
            }
            tickable = Objects.requireNonNull(factory.create(), "the tickable factory returned null");
            logStarted(guard);
            loop = new PollLoop(pollSettings, sleeper,
                    DbOutagePolicy.standard(daemonName, config.dbRetryBackoff(), events, correlationId, clock));
            reason = loop.run(tickable, signal).label();
            code = ExitCode.OK;
        } catch (SingletonViolationException e) {
            failure = e;
            reason = "singleton_violation";
            code = ExitCode.USAGE;
        } catch (ConfigException e) {
            failure = e;
            reason = "usage_error";
            code = ExitCode.USAGE;
        } catch (Exception | Error e) {
            // Errors too (an AssertionError, a StackOverflowError in a tick): the process would exit 1 anyway, and
            // this way the daemon still releases its guard, logs daemon_stopped and lets a waiting signal hook go.
            failure = e;
            reason = loop == null ? "startup_failed" : "fatal_error";
            code = ExitCode.FATAL;
        } finally {
            if (tickable instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
            if (guard != null) {
                guard.release();
            }
        }
        try {
            logStopped(reason, code, loop == null ? 0 : loop.ticks(), failure);
            if (failure != null) {
                // usage problems are the operator's to fix: the message says what; a fatal error names its type too
                err.println(daemonName + ": " + (code == ExitCode.FATAL ? "fatal: " + failure : failure.getMessage()));
                err.flush();
            }
        } finally {
            // whatever happens above, a signal hook waiting for the drain must be released with the right code
            exitCode = code;
            finished.countDown();
            removeShutdownHook(hook);
        }
        return code;
    }

    /**
     * Creates the PID-file directory for daemons without a guard too, so an operator can always drop a flag file
     * there. Best effort: such a daemon does not need the directory to run, so failing here would only refuse a
     * start that upstream allows.
     */
    private void ensureFlagDirectory() {
        try {
            Files.createDirectories(signal.flagFile().getParent());
        } catch (IOException | RuntimeException ignored) {
            // the flag can then not be used; a signal still stops the daemon
        }
    }

    private void logStarted(PidFileGuard guard) {
        List<Object> kv = new ArrayList<>(List.of(
                "correlation_id", correlationId,
                "daemon", daemonName,
                "pid", ProcessHandle.current().pid(),
                "host", WorkerIdentity.localHostName(),
                "flag_file", signal.flagFile().toString()));
        if (guard != null) {
            kv.add("pid_file");
            kv.add(guard.path().toString());
        }
        kv.addAll(List.of("idle_interval_ms", pollSettings.idleInterval().toMillis(),
                "idle_sleep_ms", pollSettings.idleSleep().toMillis()));
        events.info(DaemonEvents.DAEMON_STARTED, kv.toArray());
    }

    private void logStopped(String reason, int code, long ticks, Throwable failure) {
        events.emit(code == ExitCode.OK ? Level.INFO : Level.ERROR, DaemonEvents.DAEMON_STOPPED,
                code == ExitCode.FATAL ? failure : null,
                "correlation_id", correlationId,
                "daemon", daemonName,
                "reason", reason,
                "exit_code", code,
                "ticks", ticks);
    }

    private Thread installShutdownHook() {
        Thread hook = new Thread(this::onJvmShutdown, daemonName + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Runs in the JVM's shutdown sequence (SIGTERM, SIGINT, or System.exit elsewhere while the daemon runs).
     * The JVM would exit with 128+signal once the hooks return; halting with our own code after a clean drain is
     * the only way a shutdown hook can make that a 0.
     */
    private void onJvmShutdown() {
        signal.request(ShutdownSignal.Reason.SIGNAL);
        Duration timeout = config.shutdownTimeout();
        try {
            if (finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(exitCode);
            } else {
                events.warning(DaemonEvents.DAEMON_DRAIN_TIMEOUT, "correlation_id", correlationId,
                        "daemon", daemonName, "timeout_ms", timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeShutdownHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and waiting for `finished`, which is already counted down: it halts with our code
        }
    }

    private void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            err.println(daemonName + ": error while closing: " + e);
        }
    }

    /** Configures a {@link DaemonRunner}. */
    public static final class Builder {
        private final String daemonName;
        private final DaemonConfig config;
        private TickableFactory factory;
        private SingletonViolationException.Factory singleton;
        private Duration idleInterval = Duration.ZERO;
        private Duration workDoneDelay = Duration.ZERO;
        private Duration capacityWait;
        private Duration slice = PollSettings.DEFAULT_SLICE;
        private boolean handleSignals = true;
        private Sleeper sleeper;
        private Clock clock = Clock.systemUTC();
        private EventLog events = new EventLog(DaemonEvents.SOURCE);
        private PrintStream err = System.err;

        private Builder(String daemonName, DaemonConfig config) {
            this.daemonName = daemonName;
            this.config = config;
        }

        /** The daemon's work, built when the runner starts (after the singleton guard). */
        public Builder tickableFactory(TickableFactory tickableFactory) {
            this.factory = Objects.requireNonNull(tickableFactory);
            return this;
        }

        /** An already built tickable (tests, embedding). */
        public Builder tickable(Tickable tickable) {
            Objects.requireNonNull(tickable);
            this.factory = () -> tickable;
            return this;
        }

        /** Guard with {@code <pidFileDir>/<daemon>.pid} and the daemon's own violation type. */
        public Builder singleton() {
            return singleton(SingletonViolationException.factoryFor(daemonName));
        }

        public Builder singleton(SingletonViolationException.Factory violation) {
            this.singleton = Objects.requireNonNull(violation);
            return this;
        }

        /** The daemon's interval after an idle tick (default 0; the idle backoff applies either way). */
        public Builder idleInterval(Duration interval) {
            this.idleInterval = Objects.requireNonNull(interval);
            return this;
        }

        /** Delay after a tick that did work (an inter-chunk delay); default none. */
        public Builder workDoneDelay(Duration delay) {
            this.workDoneDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** Sleep after {@link TickOutcome#CAPACITY_WAIT}; default the idle sleep. */
        public Builder capacityWait(Duration wait) {
            this.capacityWait = Objects.requireNonNull(wait);
            return this;
        }

        /** Longest single sleep between shutdown checks (default 1 s). */
        public Builder slice(Duration newSlice) {
            this.slice = Objects.requireNonNull(newSlice);
            return this;
        }

        /** Whether to install the SIGTERM/SIGINT shutdown hook (default true; false when embedded or in tests). */
        public Builder handleSignals(boolean handle) {
            this.handleSignals = handle;
            return this;
        }

        /** Replaces the default sleep, which a signal or {@link DaemonRunner#requestShutdown()} cuts short. */
        public Builder sleeper(Sleeper newSleeper) {
            this.sleeper = Objects.requireNonNull(newSleeper);
            return this;
        }

        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock);
            return this;
        }

        /** Where lifecycle and outage events go (default source {@value DaemonEvents#SOURCE}). */
        public Builder events(EventLog eventLog) {
            this.events = Objects.requireNonNull(eventLog);
            return this;
        }

        /** Where the one-line error of a non-zero exit is printed (default {@code System.err}). */
        public Builder err(PrintStream stream) {
            this.err = Objects.requireNonNull(stream);
            return this;
        }

        public DaemonRunner build() {
            return new DaemonRunner(this);
        }
    }
}
