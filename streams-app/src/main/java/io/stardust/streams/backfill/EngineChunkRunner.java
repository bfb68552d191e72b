package io.stardust.streams.backfill;

import io.stardust.engine.db.UtcClock;
import io.stardust.engine.lifecycle.CheckpointLease;
import io.stardust.engine.lifecycle.CheckpointLeases;
import io.stardust.engine.lifecycle.FieldPurge;
import io.stardust.engine.lifecycle.ModelPurge;
import io.stardust.engine.lifecycle.PurgeChunk;
import io.stardust.engine.lifecycle.PurgeJobs;
import io.stardust.engine.lifecycle.RenameJobs;
import io.stardust.engine.lifecycle.RenameRewrite;
import io.stardust.engine.lifecycle.RetypeBackfill;
import io.stardust.engine.lifecycle.RetypeChunk;
import io.stardust.engine.lifecycle.RetypeJobs;
import io.stardust.engine.slot.SlotReserver;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The engine's chunk executors, each restricted to the one checkpoint asked for and claiming it under this
 * instance's lease: each chunk is one MySQL transaction that moves the checkpoint, exactly as under the Reconciler.
 */
final class EngineChunkRunner implements ChunkRunner {
    private final RetypeBackfill retype;
    private final RenameRewrite rename;
    private final FieldPurge fieldPurge;
    private final ModelPurge modelPurge;
    private final CheckpointLeases leases;
    private final CheckpointLease lease;
    private final int chunkSize;

    EngineChunkRunner(DataSource ds, UtcClock clock, CheckpointLease lease, int chunkSize) {
        this.retype = new RetypeBackfill(ds, clock, new SlotReserver(ds, clock), lease);
        this.rename = new RenameRewrite(ds, clock, lease);
        this.fieldPurge = new FieldPurge(ds, clock, lease);
        this.modelPurge = new ModelPurge(ds, clock, lease);
        this.leases = new CheckpointLeases(ds);
        this.lease = lease;
        this.chunkSize = chunkSize;
    }

    @Override
    public ChunkOutcome runChunk(CheckpointState cp) throws SQLException {
        String job = cp.jobName();
        if (job.startsWith(RetypeJobs.PREFIX)) {
            return retype(retype.runChunk(chunkSize, cp.checkpointId()));
        }
        if (job.startsWith(RenameJobs.PREFIX)) {
            RenameRewrite.Outcome out = rename.runChunk(chunkSize, cp.checkpointId());
            if (out instanceof RenameRewrite.Done d) {
                return ChunkOutcome.progressed(d.rowsScanned(), d.finalChunk());
            }
            return out instanceof RenameRewrite.Failed f ? ChunkOutcome.failed(f.reason())
                    : ChunkOutcome.of(ChunkOutcome.Kind.NOT_CLAIMED);
        }
        if (job.startsWith(PurgeJobs.FIELD_PREFIX)) {
            return purge(fieldPurge.runChunk(chunkSize, cp.checkpointId()));
        }
        if (job.startsWith(PurgeJobs.MODEL_PREFIX)) {
            return purge(modelPurge.runChunk(chunkSize, cp.checkpointId()));
        }
        return ChunkOutcome.failed("not a lifecycle job: " + job);
    }

    @Override
    public void release(long checkpointId) throws SQLException {
        leases.release(lease, checkpointId);
    }

    private static ChunkOutcome retype(RetypeChunk r) {
        if (r instanceof RetypeChunk.Done d) {
            return ChunkOutcome.progressed(d.rowsProcessed(), d.finalChunk());
        }
        if (r instanceof RetypeChunk.Failed f) {
            return ChunkOutcome.failed(f.reason());
        }
        return ChunkOutcome.of(r instanceof RetypeChunk.CapacityWait ? ChunkOutcome.Kind.CAPACITY_WAIT
                : ChunkOutcome.Kind.NOT_CLAIMED);
    }

    private static ChunkOutcome purge(PurgeChunk r) {
        return r instanceof PurgeChunk.Done d ? ChunkOutcome.progressed(d.rowsProcessed(), d.finalChunk())
                : ChunkOutcome.of(ChunkOutcome.Kind.NOT_CLAIMED);
    }
}
