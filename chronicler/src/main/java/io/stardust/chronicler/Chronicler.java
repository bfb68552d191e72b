package io.stardust.chronicler;

import io.stardust.ExportJob;
import io.stardust.StarDust;
import io.stardust.daemon.TickOutcome;
import io.stardust.daemon.Tickable;
import io.stardust.daemon.UuidV4;
import io.stardust.daemon.WorkerIdentity;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.event.EventLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The Chronicler: each tick runs one export job to its end. Multi-worker: claims are {@code SKIP LOCKED}
 * transactions and every later write is guarded by the claimant's identity, so any number of workers can run.
 *
 * <p>A tick: (1) the disk gate: below {@code chroniclerLowDiskThresholdPct} free, or when the probe write fails,
 * {@code low_disk} and garbage collection only; (2) claim the pending job of the tenant whose oldest pending job is
 * oldest, else take over a processing job whose heartbeat is older than {@code chroniclerLeaseTimeoutSeconds}; none:
 * garbage collection, idle; (3) {@code job_claimed} and the job processed to completion, failure, lease loss or a
 * shutdown between chunks.
 *
 * <p>Events (source {@code chronicler}; job events carry {@code tenant_id}, {@code job_id}, {@code worker_identity}
 * and the job's {@code correlation_id}): see {@link #EVENTS} and the README.
 */
public final class Chronicler implements Tickable, AutoCloseable {
    public static final String SOURCE = "chronicler";
    /** The closed event vocabulary of this source. */
    public static final List<String> EVENTS = List.of("job_claimed", "chunk_written", "deadlock_retry", "chunk_skipped",
            "row_skipped", "lease_lost", "lease_released", "low_disk", "artifact_oversized", "job_complete", "job_failed", "gc_swept");

    private final JobStore store;
    private final JobProcessor processor;
    private final ArtifactGc gc;
    private final DiskGate disk;
    private final ChroniclerConfig config;
    private final Path artifactDir;
    private final EventLog events;
    private final WorkerIdentity identities;
    private final UuidV4 uuids = UuidV4.secure();
    private final AutoCloseable owned;

    private Chronicler(Builder b) {
        this.config = b.config;
        this.artifactDir = b.engine.config().artifactDir();
        this.events = new EventLog(SOURCE);
        this.store = new JobStore(b.engine.dataSource());
        this.identities = b.identities;
        this.processor = new JobProcessor(store, b.pages == null ? PageSource.search(b.engine) : b.pages, config,
                b.engine.config().filterLimits(), events, b.sleeper, b.holds, this::artifactPath, b.stopRequested);
        this.gc = new ArtifactGc(store, config, events);
        this.disk = new DiskGate(artifactDir, config.lowDiskThresholdPct(), config.diskProbeBytes());
        this.owned = b.owned;
    }

    public static Builder builder(StarDust engine, ChroniclerConfig config) {
        return new Builder(engine, config);
    }

    /** Wiring; tests replace the page source (fault injection), the sleeper and the worker identity. */
    public static final class Builder {
        private final StarDust engine;
        private final ChroniclerConfig config;
        private PageSource pages;
        private Sleeper sleeper = Sleeper.system();
        private BooleanSupplier stopRequested = () -> false;
        private HoldPoints holds = HoldPoints.NONE;
        private WorkerIdentity identities = WorkerIdentity.ofThisProcess();
        private AutoCloseable owned;

        private Builder(StarDust engine, ChroniclerConfig config) {
            this.engine = engine;
            this.config = config;
        }

        public Builder pages(PageSource source) {
            this.pages = source;
            return this;
        }

        public Builder sleeper(Sleeper s) {
            this.sleeper = s;
            return this;
        }

        public Builder stopRequested(BooleanSupplier stop) {
            this.stopRequested = stop;
            return this;
        }

        public Builder holds(HoldPoints h) {
            this.holds = h;
            return this;
        }

        public Builder identities(WorkerIdentity w) {
            this.identities = w;
            return this;
        }

        /** Closed with the Chronicler (the daemon's engine and pool). */
        public Builder owning(AutoCloseable resource) {
            this.owned = resource;
            return this;
        }

        public Chronicler build() {
            return new Chronicler(this);
        }
    }

    @Override
    public TickOutcome tick() throws Exception {
        DiskGate.Pressure pressure = disk.check();
        if (pressure != null) {
            String correlationId = uuids.next();
            events.warning("low_disk", "correlation_id", correlationId, "tenant_id", null,
                    "partition", artifactDir.toString(), "free_pct", pressure.freePct(),
                    "threshold_pct", config.lowDiskThresholdPct(), "cause", pressure.cause());
            gc.sweep(correlationId);
            return TickOutcome.IDLE;
        }
        String identity = identities.mint();
        Optional<ClaimedJob> claim = store.claimPending(identity, this::artifactPath);
        if (claim.isEmpty()) {
            claim = store.claimAbandoned(identity, config.leaseTimeoutSeconds());
        }
        if (claim.isEmpty()) {
            gc.sweep(uuids.next());
            return TickOutcome.IDLE;
        }
        ExportJob job = claim.get().job();
        String correlationId = job.correlationId() == null || job.correlationId().isEmpty() ? uuids.next()
                : job.correlationId();
        events.info("job_claimed", "correlation_id", correlationId, "tenant_id", job.tenantId(), "job_id", job.id(),
                "worker_identity", identity, "claim_kind", claim.get().kind());
        processor.process(claim.get(), correlationId);
        return TickOutcome.WORK_DONE;
    }

    /** Runs garbage collection alone (as an idle tick does); returns the number of artifacts collected. */
    public int collectGarbage() {
        return gc.sweep(uuids.next());
    }

    /** {@code <artifactDir>/export_<jobId>_<uuid>.<format>[.gz]}, new on every call. */
    private Path artifactPath(ExportJob job) {
        return artifactDir.resolve("export_" + job.id() + "_" + uuids.next() + "." + job.format().wireName()
                + (job.gzip() ? ".gz" : ""));
    }

    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }
}
