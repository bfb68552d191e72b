package io.stardust.daemon;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.engine.db.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Options shared by every daemon. Each daemon module declares its own intervals next to these and resolves all of
 * them with one {@link ConfigDef}, e.g. {@code ConfigDef.of(StarDustConfig.OPTIONS, DaemonConfig.OPTIONS,
 * WatcherConfig.OPTIONS)}. Environment variables are {@code STARDUST_} + the key in upper snake case.
 *
 * @param pidFileDir          where {@code <daemon>.pid} and {@code <daemon>.shutdown} live
 * @param idleBackoff         the least any daemon sleeps after an idle tick (Q7)
 * @param dbRetryInitialDelay first wait after a tick failed because the database was unreachable
 * @param dbRetryMaxDelay     cap of the doubling wait between outage retries
 * @param shutdownTimeout     how long a stop request waits for the tick in progress before the process exits 1
 * @param metricsPort         port of the status endpoint ({@code /metrics}, {@code /health}); 0 any free port, -1 off
 * @param metricsBindAddress  address the status endpoint binds
 */
public record DaemonConfig(Path pidFileDir, Duration idleBackoff, Duration dbRetryInitialDelay,
                           Duration dbRetryMaxDelay, Duration shutdownTimeout, int metricsPort, String metricsBindAddress) {

    /** Shared with every long-running process (their flag files live there too). */
    public static final ConfigOption<String> PID_FILE_DIR = ProcessSettings.PID_FILE_DIR;
    public static final ConfigOption<Duration> IDLE_BACKOFF = ConfigOption.duration("daemonIdleBackoff",
            Duration.ofMillis(250),
            "Least time any daemon sleeps after a tick that found no work, even with a poll interval of 0 "
                    + "(the Reconciler's); keeps idle workers from hammering the database.")
            .withValidator(DaemonConfig::positive);
    public static final ConfigOption<Duration> DB_RETRY_INITIAL_DELAY = ConfigOption.duration(
            "daemonDbRetryInitialDelay", Duration.ofSeconds(1),
            "First wait before retrying a tick that failed because the database was unreachable; doubles on each "
                    + "further failure up to daemonDbRetryMaxDelay and resets after a successful tick.")
            .withValidator(DaemonConfig::positive);
    public static final ConfigOption<Duration> DB_RETRY_MAX_DELAY = ConfigOption.duration("daemonDbRetryMaxDelay",
            Duration.ofSeconds(30), "Longest wait between retries while the database is unreachable.")
            .withValidator(DaemonConfig::positive);
    public static final ConfigOption<Duration> SHUTDOWN_TIMEOUT = ConfigOption.duration("daemonShutdownTimeout",
            Duration.ofSeconds(30),
            "After SIGTERM/SIGINT or the shutdown flag file, how long the tick in progress may take to finish (then "
                    + "exit 0); a daemon that has not stopped 5 s after this exits 1.")
            .withValidator(DaemonConfig::positive);

    public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.integer("daemonMetricsPort", -1,
            "Port of the daemon's status endpoint (/metrics for Prometheus, /health) on daemonMetricsBindAddress; 0 = any"
                    + " free port (daemon_started logs it as metrics_url), -1 = off. Daemons sharing a host and a"
                    + " configuration need 0 or a port each.").between(-1, 65_535);
    public static final ConfigOption<String> METRICS_BIND_ADDRESS = ConfigOption.string("daemonMetricsBindAddress",
            "127.0.0.1", "Address the daemon's status endpoint binds (0.0.0.0 for every interface, as in a container).");

    public static final List<ConfigOption<?>> OPTIONS = List.of(PID_FILE_DIR, IDLE_BACKOFF, DB_RETRY_INITIAL_DELAY,
            DB_RETRY_MAX_DELAY, SHUTDOWN_TIMEOUT, METRICS_PORT, METRICS_BIND_ADDRESS);

    /** Without a status endpoint. */
    public DaemonConfig(Path pidFileDir, Duration idleBackoff, Duration dbRetryInitialDelay, Duration dbRetryMaxDelay,
                        Duration shutdownTimeout) {
        this(pidFileDir, idleBackoff, dbRetryInitialDelay, dbRetryMaxDelay, shutdownTimeout, -1, METRICS_BIND_ADDRESS.defaultValue());
    }

    public DaemonConfig {
        if (dbRetryMaxDelay.compareTo(dbRetryInitialDelay) < 0) {
            throw new ConfigException(DB_RETRY_MAX_DELAY.key() + " (" + dbRetryMaxDelay + ") must not be less than "
                    + DB_RETRY_INITIAL_DELAY.key() + " (" + dbRetryInitialDelay + ")");
        }
    }

    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    public static DaemonConfig from(ConfigValues v) {
        return new DaemonConfig(Path.of(v.get(PID_FILE_DIR)), v.get(IDLE_BACKOFF), v.get(DB_RETRY_INITIAL_DELAY),
                v.get(DB_RETRY_MAX_DELAY), v.get(SHUTDOWN_TIMEOUT), v.get(METRICS_PORT), v.get(METRICS_BIND_ADDRESS));
    }

    /** Every option at its default. */
    public static DaemonConfig defaults() {
        return new DaemonConfig(Path.of(PID_FILE_DIR.defaultValue()), IDLE_BACKOFF.defaultValue(),
                DB_RETRY_INITIAL_DELAY.defaultValue(), DB_RETRY_MAX_DELAY.defaultValue(),
                SHUTDOWN_TIMEOUT.defaultValue(), METRICS_PORT.defaultValue(), METRICS_BIND_ADDRESS.defaultValue());
    }

    public DaemonConfig withPidFileDir(Path dir) {
        return new DaemonConfig(dir, idleBackoff, dbRetryInitialDelay, dbRetryMaxDelay, shutdownTimeout, metricsPort, metricsBindAddress);
    }

    public DaemonConfig withIdleBackoff(Duration backoff) {
        return new DaemonConfig(pidFileDir, backoff, dbRetryInitialDelay, dbRetryMaxDelay, shutdownTimeout, metricsPort, metricsBindAddress);
    }

    public DaemonConfig withDbRetry(Duration initial, Duration max) {
        return new DaemonConfig(pidFileDir, idleBackoff, initial, max, shutdownTimeout, metricsPort, metricsBindAddress);
    }

    public DaemonConfig withShutdownTimeout(Duration timeout) {
        return new DaemonConfig(pidFileDir, idleBackoff, dbRetryInitialDelay, dbRetryMaxDelay, timeout, metricsPort, metricsBindAddress);
    }

    /** The same settings with the status endpoint on {@code port} (0: any free port) of {@code bindAddress}. */
    public DaemonConfig withMetrics(int port, String bindAddress) {
        return new DaemonConfig(pidFileDir, idleBackoff, dbRetryInitialDelay, dbRetryMaxDelay, shutdownTimeout, port, bindAddress);
    }

    /** What the {@link ProcessRuntime} needs: the flag file's directory and the drain bound. */
    public ProcessSettings processSettings() {
        return new ProcessSettings(pidFileDir, shutdownTimeout);
    }

    /** The outage retry schedule these settings describe. */
    public Backoff dbRetryBackoff() {
        return Backoff.exponential(dbRetryInitialDelay, dbRetryMaxDelay);
    }

    private static String positive(Duration d) {
        return d.isNegative() || d.isZero() ? "must be positive" : null;
    }
}
