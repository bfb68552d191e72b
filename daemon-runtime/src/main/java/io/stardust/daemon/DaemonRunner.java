package io.stardust.daemon;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ShutdownSignal;
import io.stardust.daemon.status.StatusEndpoint;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.event.EventLog;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.slf4j.event.Level;

/**
 * Runs one daemon on the {@link ProcessRuntime} and returns its exit code: 0 after a clean stop (signal, flag
 * file, request), 1 after a fatal error or a drain that outlived {@code daemonShutdownTimeout}, 2 on a singleton
 * violation or a configuration error.
 *
 * <p>What the daemon adds to the runtime:
 * <ol>
 *   <li>singleton daemons take the PID-file guard as the runtime's guard (a refused instance stops there with 2,
 *       before touching the database or the flag file; the runtime deletes a stale flag only once it is held);</li>
 *   <li>the {@link TickableFactory} builds the daemon; {@code daemon_started};</li>
 *   <li>the {@link PollLoop} runs with a {@link DbOutagePolicy} until the runtime's stop request (signal or flag
 *       file) or a fatal error; the tick in progress always finishes;</li>
 *   <li>the tickable is closed (if {@link AutoCloseable}), the guard released, {@code daemon_stopped} logged.</li>
 * </ol>
 *
 * <p>Typical use in a CLI command:
 * <pre>{@code
 * ConfigDef definition = ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS, WatcherConfig.OPTIONS);
 * ConfigValues values = definition.resolve(configFile);
 * int code = DaemonRunner.builder("watcher", DaemonConfig.from(values))
 *         .config(definition, values)                     // logged once as config_resolved, secrets masked
 *         .singleton(WatcherSingletonViolationException::new)
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
    private final Sleeper sleeper;
    private final Clock clock;
    private final EventLog events;
    private final PrintStream err;
    private final ProcessRuntime runtime;
    private volatile PidFileGuard guard;
    private volatile PollLoop loop;

    private DaemonRunner(Builder b) {
        this.daemonName = b.daemonName;
        this.config = b.config;
        this.factory = Objects.requireNonNull(b.factory, "no tickable given");
        this.singleton = b.singleton;
        PollSettings settings = PollSettings.of(b.idleInterval, config.idleBackoff())
                .withWorkDoneDelay(b.workDoneDelay)
                .withSlice(b.slice);
        this.pollSettings = b.capacityWait == null ? settings : settings.withCapacityWait(b.capacityWait);
        this.clock = b.clock;
        this.events = b.events;
        this.err = b.err;
        ProcessRuntime.Builder rb = ProcessRuntime.builder(daemonName, config.processSettings())
                .handleSignals(b.handleSignals)
                .err(b.err)
                .refusals(SingletonViolationException.class)
                .pollInterval(b.slice);
        if (b.definition != null) {
            rb.config(b.definition, b.values);
        }
        if (b.halt != null) {
            rb.halt(b.halt);
        }
        if (singleton != null) {
            rb.guard(() -> guard = PidFileGuard.acquire(config.pidFileDir(), daemonName, singleton));
        }
        this.runtime = rb.build();
        this.sleeper = b.sleeper == null ? runtime.signal().sleeper() : b.sleeper;
    }

    /** A runner for daemon {@code daemonName} ({@code watcher}, {@code reconciler}, …). */
    public static Builder builder(String daemonName, DaemonConfig config) {
        return new Builder(daemonName, Objects.requireNonNull(config));
    }

    /** The shutdown signal; an embedding caller may {@link ShutdownSignal#request request} a stop through it. */
    public ShutdownSignal shutdownSignal() {
        return runtime.signal();
    }

    /** Stops the daemon after its current tick (as a signal would, without the JVM shutting down). */
    public void requestShutdown() {
        runtime.signal().request(ShutdownSignal.Reason.REQUESTED);
    }

    public PollSettings pollSettings() {
        return pollSettings;
    }

    /** Runs the daemon to the end and returns the process exit code. A runner runs once. */
    public int run() {
        ProcessRuntime.Outcome outcome = runtime.run(this::runLoop);
        PollLoop ran = loop;
        logStopped(stopReason(outcome, ran != null), outcome.exitCode(), ran == null ? 0 : ran.ticks(),
                outcome.failure());
        return outcome.exitCode();
    }

    private int runLoop(ShutdownSignal stop) throws Exception {
        Tickable tickable = null;
        StatusEndpoint status = null;
        try {
            tickable = Objects.requireNonNull(factory.create(), "the tickable factory returned null");
            DaemonMetrics metrics = new DaemonMetrics(daemonName, clock);
            if (config.metricsPort() >= 0) {
                status = StatusEndpoint.start(daemonName + "-status", config.metricsBindAddress(), config.metricsPort(),
                        metrics::scrape, metrics::health);
            }
            logStarted(status);
            PollLoop poll = new PollLoop(pollSettings, sleeper, DbOutagePolicy.standard(daemonName,
                    config.dbRetryBackoff(), events, runtime.correlationId(), clock), metrics);
            loop = poll;
            poll.run(tickable, stop);
            return ExitCode.OK;
        } finally {
            if (status != null) {
                status.close();
            }
            if (tickable instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
        }
    }

    private static String stopReason(ProcessRuntime.Outcome outcome, boolean loopStarted) {
        Throwable failure = outcome.failure();
        if (failure == null) {
            return outcome.reason();
        }
        if (failure instanceof SingletonViolationException) {
            return "singleton_violation";
        }
        if (failure instanceof ConfigException) {
            return "usage_error";
        }
        return loopStarted ? "fatal_error" : "startup_failed";
    }

    private void logStarted(StatusEndpoint status) {
        List<Object> kv = new ArrayList<>(List.of(
                "correlation_id", runtime.correlationId(),
                "daemon", daemonName,
                "pid", ProcessHandle.current().pid(),
                "host", WorkerIdentity.localHostName(),
                "flag_file", runtime.signal().flagFile().toString()));
        PidFileGuard held = guard;
        if (held != null) {
            kv.add("pid_file");
            kv.add(held.path().toString());
        }
        if (status != null) {
            kv.add("metrics_url");
            kv.add(status.url() + "/metrics");
        }
        kv.addAll(List.of("idle_interval_ms", pollSettings.idleInterval().toMillis(),
                "idle_sleep_ms", pollSettings.idleSleep().toMillis(),
                "shutdown_timeout_ms", config.shutdownTimeout().toMillis()));
        events.info(DaemonEvents.DAEMON_STARTED, kv.toArray());
    }

    private void logStopped(String reason, int code, long ticks, Throwable failure) {
        events.emit(code == ExitCode.OK ? Level.INFO : Level.ERROR, DaemonEvents.DAEMON_STOPPED,
                code == ExitCode.FATAL ? failure : null,
                "correlation_id", runtime.correlationId(),
                "daemon", daemonName,
                "reason", reason,
                "exit_code", code,
                "ticks", ticks);
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
        private ConfigDef definition;
        private ConfigValues values;
        private IntConsumer halt;

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

        /** The daemon's resolved configuration, logged once at start ({@code config_resolved}), secrets masked. */
        public Builder config(ConfigDef configDefinition, ConfigValues resolved) {
            this.definition = Objects.requireNonNull(configDefinition);
            this.values = Objects.requireNonNull(resolved);
            return this;
        }

        /** Guard with {@code <pidFileDir>/<daemon>.pid}; a refused instance throws the generic violation. */
        public Builder singleton() {
            return singleton(SingletonViolationException::new);
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

        /** Whether to handle SIGTERM/SIGINT (default true; false when embedded or in tests). */
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

        /** What ends the JVM after a drain timeout (default {@link Runtime#halt}; tests record it instead). */
        public Builder halt(IntConsumer halter) {
            this.halt = Objects.requireNonNull(halter);
            return this;
        }

        public DaemonRunner build() {
            return new DaemonRunner(this);
        }
    }
}
