package io.stardust.watcher;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import io.stardust.daemon.DaemonDatabase;
import io.stardust.daemon.DaemonRunner;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.WorkerIdentity;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.slot.PageProvisioner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * {@code bin/stardust watcher}: the Watcher as a singleton daemon ({@code <pidFileDir>/watcher.pid}; a second
 * instance exits 2) polling every {@code watcherPollIntervalSeconds}; SIGTERM/SIGINT or
 * {@code <pidFileDir>/watcher.shutdown} stop it with exit 0.
 */
public final class WatcherDaemon {
    public static final String NAME = "watcher";

    private WatcherDaemon() {
    }

    public static int run(Path configFile) {
        ConfigValues values;
        try {
            values = WatcherConfig.deployableDefinition().resolve(configFile);
        } catch (ConfigException e) {
            System.err.println(NAME + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        return runner(values).run();
    }

    public static DaemonRunner runner(ConfigValues values) {
        return DaemonRunner.builder(NAME, DaemonConfig.from(values))
                .config(WatcherConfig.deployableDefinition(), values)
                .singleton(WatcherSingletonViolationException::new)
                .idleInterval(Duration.ofSeconds(values.get(WatcherConfig.POLL_INTERVAL_SECONDS)))
                .tickableFactory(() -> {
                    WatcherConfig config = WatcherConfig.from(values);
                    HikariDataSource pool = DaemonDatabase.open(StarDustConfig.from(values), NAME, 3);
                    return create(pool, StarDustConfig.from(values).lockNamespace(), config, Clock.systemUTC(),
                            AdvisoryTimer.Jitter.random(), pool);
                })
                .build();
    }

    /**
     * A Watcher on {@code ds}. The advisory lock takes a connection of its own from {@code ds} for as long as it is
     * held ({@link io.stardust.daemon.AdvisoryLock} releases it or aborts the session, so a pooled session never
     * keeps the lock).
     */
    public static Watcher create(DataSource ds, WatcherConfig config, Clock clock, AdvisoryTimer.Jitter jitter,
                                 AutoCloseable ownedResources) {
        return create(ds, null, config, clock, jitter, ownedResources);
    }

    /** As above, the provisioning lock in {@code lockNamespace} (null: the database name). */
    public static Watcher create(DataSource ds, String lockNamespace, WatcherConfig config, Clock clock,
                                 AdvisoryTimer.Jitter jitter, AutoCloseable ownedResources) {
        UtcClock utc = new UtcClock(clock);
        EventLog registryEvents = new EventLog("registry");
        String identity = WorkerIdentity.localHostName() + "/" + ProcessHandle.current().pid();
        return new Watcher(new RegistryReads(ds), new PageProvisioner(ds, utc, identity), ds::getConnection,
                lockNamespace,
                new CardinalitySampler(ds, config, registryEvents),
                new SpreadSampler(ds, config.spreadExcessPageThreshold(), registryEvents),
                new SampleSchedule(ds,
                        new AdvisoryTimer(config.cardinalityIntervalSeconds(), config.effectiveJitterSeconds(), jitter),
                        clock, WorkerIdentity.ofThisProcess()),
                config, ownedResources);
    }

    /** {@code java -cp … io.stardust.watcher.WatcherDaemon [config.properties]} */
    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? Path.of(args[0]) : null));
    }
}
