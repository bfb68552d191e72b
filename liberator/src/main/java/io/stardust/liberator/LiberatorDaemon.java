package io.stardust.liberator;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import io.stardust.daemon.DaemonDatabase;
import io.stardust.daemon.DaemonRunner;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ShutdownSignal;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/stardust liberator}: a Liberator worker. No PID guard: run as many as there are pages to sweep, the
 * per-page advisory lock keeps them on different pages (upstream's later multi-worker Liberator). Polls every
 * {@code liberatorIdleIntervalSeconds} when idle; SIGTERM/SIGINT or {@code <pidFileDir>/liberator.shutdown} (which
 * stops every worker sharing that directory) stop it with exit 0. Options come from an optional properties file and the
 * environment ({@code STARDUST_*}, which wins), see {@link LiberatorConfig#deployableDefinition()}.
 */
public final class LiberatorDaemon {
    public static final String NAME = "liberator";

    private LiberatorDaemon() {
    }

    /** Runs until shutdown; returns the process exit code (0 clean stop, 1 fatal, 2 bad config). */
    public static int run(Path configFile) {
        ConfigValues values;
        try {
            values = LiberatorConfig.deployableDefinition().resolve(configFile);
        } catch (ConfigException e) {
            System.err.println(NAME + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        return runner(values).run();
    }

    /** The runner for resolved options, built but not started. */
    public static DaemonRunner runner(ConfigValues values) {
        AtomicReference<ShutdownSignal> signal = new AtomicReference<>();
        DaemonRunner runner = DaemonRunner.builder(NAME, DaemonConfig.from(values))
                .config(LiberatorConfig.deployableDefinition(), values)
                .idleInterval(java.time.Duration.ofSeconds(values.get(LiberatorConfig.IDLE_INTERVAL_SECONDS)))
                .tickableFactory(() -> {
                    // validated before the pool opens, so a bad value costs no connection
                    LiberatorConfig config = LiberatorConfig.from(values);
                    HikariDataSource pool = DaemonDatabase.open(StarDustConfig.from(values), NAME, 3);
                    ShutdownSignal s = signal.get();
                    return Liberator.create(pool, StarDustConfig.from(values).lockNamespace(), config, s.sleeper(),
                            s::isRequested, null, pool);
                })
                .build();
        signal.set(runner.shutdownSignal());
        return runner;
    }

    /** {@code java -cp … io.stardust.liberator.LiberatorDaemon [config.properties]} */
    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? Path.of(args[0]) : null));
    }
}
