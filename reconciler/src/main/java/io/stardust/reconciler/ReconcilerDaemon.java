package io.stardust.reconciler;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.DaemonConfig;
import io.stardust.daemon.DaemonDatabase;
import io.stardust.daemon.DaemonRunner;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ShutdownSignal;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.daemon.WorkerIdentity;
import io.stardust.engine.imports.ImportJobProcessor;
import io.stardust.engine.lifecycle.BackfillDriver;
import io.stardust.engine.lifecycle.BackfillSettings;
import io.stardust.engine.lifecycle.CheckpointLease;
import io.stardust.engine.lifecycle.FieldPurge;
import io.stardust.engine.lifecycle.ModelPurge;
import io.stardust.engine.lifecycle.RenameRewrite;
import io.stardust.engine.lifecycle.RetypeBackfill;
import io.stardust.engine.slot.SlotReserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * {@code bin/stardust reconciler}: a Reconciler worker. No PID guard: run as many as the queue needs, {@code SKIP
 * LOCKED} keeps them disjoint. Upstream's poll interval is 0 (the next chunk at once); an idle tick still sleeps
 * {@code daemonIdleBackoff} (Q7 fixed), a capacity wait {@code reconcilerCapacityWaitMillis}, a busy tick
 * {@code reconcilerInterChunkDelayMicros}. SIGTERM/SIGINT or {@code <pidFileDir>/reconciler.shutdown} stop it with
 * exit 0.
 */
public final class ReconcilerDaemon {
    public static final String NAME = "reconciler";

    private ReconcilerDaemon() {
    }

    public static int run(Path configFile) {
        ConfigValues values;
        try {
            values = ReconcilerConfig.deployableDefinition().resolve(configFile);
        } catch (ConfigException e) {
            System.err.println(NAME + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        return runner(values).run();
    }

    public static DaemonRunner runner(ConfigValues values) {
        ReconcilerConfig config = ReconcilerConfig.from(values);
        AtomicReference<ShutdownSignal> signal = new AtomicReference<>();
        DaemonRunner runner = DaemonRunner.builder(NAME, DaemonConfig.from(values))
                .config(ReconcilerConfig.deployableDefinition(), values)
                .idleInterval(Duration.ZERO)
                .capacityWait(config.capacityWait())
                .workDoneDelay(config.interChunkDelay())
                .tickableFactory(() -> {
                    HikariDataSource pool = DaemonDatabase.open(StarDustConfig.from(values), NAME, 4);
                    return create(pool, config, BackfillSettings.from(values), StarDustConfig.from(values).artifactDir(),
                            Clock.systemUTC(), signal.get().sleeper(), pool);
                })
                .build();
        signal.set(runner.shutdownSignal());
        return runner;
    }

    /**
     * A Reconciler on {@code ds} with its sources in upstream's order: sync queue, retype backfills, rename rewrites,
     * field purges, model purges; import jobs second.
     */
    public static Reconciler create(DataSource ds, ReconcilerConfig config, Clock clock, Sleeper sleeper,
                                    AutoCloseable ownedResources) {
        return create(ds, config, Path.of(System.getProperty("java.io.tmpdir"), "stardust"), clock, sleeper, ownedResources);
    }

    /** As above; {@code artifactDir} resolves relative import artifact paths (submitBulkWrite stores absolute ones). */
    public static Reconciler create(DataSource ds, ReconcilerConfig config, Path artifactDir, Clock clock, Sleeper sleeper,
                                    AutoCloseable ownedResources) {
        return create(ds, config, BackfillSettings.DEFAULTS, artifactDir, clock, sleeper, ownedResources);
    }

    /**
     * As above, with the backfill settings: when {@code backfillDriver} is {@code streams} the Streams app drives the
     * lifecycle backfills and this Reconciler has only the sync queue and import jobs; otherwise its backfill
     * sources claim checkpoints under a lease of {@code backfillLease} owned by this process.
     */
    public static Reconciler create(DataSource ds, ReconcilerConfig config, BackfillSettings backfills, Path artifactDir,
                                    Clock clock, Sleeper sleeper, AutoCloseable ownedResources) {
        UtcClock utc = new UtcClock(clock);
        EventLog events = new EventLog(Reconciler.SOURCE);
        SyncQueueSource syncQueue = new SyncQueueSource(ds, config, new BackfillExecutor(),
                new DlqWriter(utc, events), new UnmappedFieldReserver(ds, new SlotReserver(ds, utc)), events);
        java.util.function.Supplier<String> identities = Reconciler.uuids();
        ImportJobSource imports = new ImportJobSource(new ImportJobProcessor(ds, utc, artifactDir,
                () -> WorkerIdentity.localHostName() + ":" + ProcessHandle.current().pid() + ":" + identities.get()),
                config.chunkSize(), config.importLeaseTimeoutSeconds(), events);
        List<WorkSource> sources = new ArrayList<>(List.of(syncQueue, imports));
        if (backfills.driver() == BackfillDriver.RECONCILER) {
            // one owner per process: Reconcilers of one JVM share their checkpoints (SKIP LOCKED keeps chunks apart)
            sources.addAll(backfillSources(ds, config, backfills.leaseFor(NAME + ":" + WorkerIdentity.localHostName() + ":"
                    + CheckpointLease.PROCESS), utc, sleeper, events));
        }
        return new Reconciler(sources, config.interChunkDelay(), sleeper, Reconciler.uuids(), ownedResources);
    }

    /** Retype backfills, rename rewrites, field purges, model purges: every checkpoint claimed under {@code lease}. */
    private static List<WorkSource> backfillSources(DataSource ds, ReconcilerConfig config, CheckpointLease lease,
                                                    UtcClock utc, Sleeper sleeper, EventLog events) {
        RetypeBackfillSource retype = new RetypeBackfillSource(new RetypeBackfill(ds, utc, new SlotReserver(ds, utc), lease),
                config.chunkSize(), new LockRetry(config.lockRetryBudget(), config.lockRetryDelay(), sleeper, events), events);
        RenameRewriteSource rename = new RenameRewriteSource(new RenameRewrite(ds, utc, lease), config.chunkSize(),
                new LockRetry(config.lockRetryBudget(), config.lockRetryDelay(), sleeper, events), events);
        FieldPurge fieldPurge = new FieldPurge(ds, utc, lease);
        PurgeSource fields = new PurgeSource("field_purge", "field_id", () -> fieldPurge.runChunk(config.chunkSize()),
                new LockRetry(config.lockRetryBudget(), config.lockRetryDelay(), sleeper, events), events);
        ModelPurge modelPurge = new ModelPurge(ds, utc, lease);
        PurgeSource models = new PurgeSource("model_purge", "model_id",
                () -> modelPurge.runChunk(config.modelPurgeChunkSize()),
                new LockRetry(config.modelPurgeLockRetryBudget(), config.lockRetryDelay(), sleeper, events), events);
        return List.of(retype, rename, fields, models);
    }

    /** {@code java -cp … io.stardust.reconciler.ReconcilerDaemon [config.properties]} */
    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? Path.of(args[0]) : null));
    }
}
