package io.stardust.chronicler;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import io.stardust.daemon.DaemonDatabase;
import io.stardust.daemon.DaemonRunner;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ShutdownSignal;
import io.stardust.engine.crash.HoldPoints;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/stardust chronicler}: a Chronicler worker. No PID guard: run as many as you like, claims never overlap.
 * Sleeps {@code chroniclerIdleIntervalSeconds} after an idle tick; SIGTERM/SIGINT or
 * {@code <pidFileDir>/chronicler.shutdown} stop it (exit 0) at the next chunk boundary, releasing the lease of a job in
 * progress (after its last chunk commit) so that the next worker resumes it in place at once. Options come
 * from an optional properties file and the environment ({@code STARDUST_*}, which wins).
 */
public final class ChroniclerDaemon {
    public static final String NAME = "chronicler";
    /**
     * The crash tests' hold point ({@link HoldPoints}), one per row of the crash table in the module README:
     * {@code mid_chunk}, {@code after_chunk_commit}, {@code before_completion}.
     */
    public static final String HOLD_AT_ENV = "STARDUST_CHRONICLER_TEST_HOLD_AT";

    private ChroniclerDaemon() {
    }

    /** Runs until shutdown; returns the process exit code (0 clean stop, 1 fatal, 2 bad config). */
    public static int run(Path configFile) {
        ConfigValues values;
        try {
            values = ChroniclerConfig.deployableDefinition().resolve(configFile);
        } catch (ConfigException e) {
            System.err.println(NAME + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        return runner(values, HoldPoints.fromEnvironment(HOLD_AT_ENV, System.getenv())).run();
    }

    /** The runner for resolved options, built but not started. */
    public static DaemonRunner runner(ConfigValues values, HoldPoints holds) {
        AtomicReference<ShutdownSignal> signal = new AtomicReference<>();
        DaemonRunner runner = DaemonRunner.builder(NAME, DaemonConfig.from(values))
                .config(ChroniclerConfig.deployableDefinition(), values)
                .idleInterval(Duration.ofSeconds(values.get(ChroniclerConfig.IDLE_INTERVAL_SECONDS)))
                .tickableFactory(() -> {
                    ChroniclerConfig config = ChroniclerConfig.from(values); // before the pool: bad values cost nothing
                    StarDustConfig engineConfig = StarDustConfig.from(values);
                    HikariDataSource pool = DaemonDatabase.open(engineConfig, NAME, 3);
                    StarDust engine = StarDust.create(pool, engineConfig, Clock.systemUTC());
                    ShutdownSignal s = signal.get();
                    return Chronicler.builder(engine, config).sleeper(s.sleeper()).stopRequested(s::isRequested)
                            .holds(holds).owning(pool).build();
                })
                .build();
        signal.set(runner.shutdownSignal());
        return runner;
    }

    /** {@code java -cp … io.stardust.chronicler.ChroniclerDaemon [config.properties]} */
    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? Path.of(args[0]) : null));
    }
}
