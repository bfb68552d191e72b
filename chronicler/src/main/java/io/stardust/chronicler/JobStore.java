package io.stardust.chronicler;

import io.stardust.ExportJob;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.export.ExportJobs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The Chronicler's statements on {@code stardust_export_jobs}. Claims are one short transaction each
 * ({@code FOR UPDATE SKIP LOCKED}, so concurrent workers route around each other's rows); every later write is
 * guarded by {@code worker_identity = ours}, so a worker that lost its lease changes nothing. Times are the
 * server's {@code UTC_TIMESTAMP()}, the clock the lease timeout is measured against.
 */
final class JobStore {
    private final DataSource ds;

    JobStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * The pending job of the tenant whose oldest pending job is oldest, then that tenant's oldest, then the lowest
     * id; it becomes {@code processing} under {@code identity} with its artifact path fixed now, from cursor 0.
     */
    Optional<ClaimedJob> claimPending(String identity, java.util.function.Function<ExportJob, Path> artifactPathOf) {
        return Tx.inTransaction(ds, c -> {
            Long id = firstId(c, "SELECT j.id FROM stardust_export_jobs j JOIN (SELECT tenant_id, MIN(created_at) AS head"
                    + " FROM stardust_export_jobs WHERE status = 'pending' GROUP BY tenant_id) h"
                    + " ON h.tenant_id = j.tenant_id WHERE j.status = 'pending'"
                    + " ORDER BY h.head ASC, j.created_at ASC, j.id ASC LIMIT 1 FOR UPDATE OF j SKIP LOCKED");
            if (id == null) {
                return Optional.empty();
            }
            Sql.update(c, "UPDATE stardust_export_jobs SET status = 'processing', worker_identity = ?,"
                    + " claimed_at = UTC_TIMESTAMP(), heartbeat_at = UTC_TIMESTAMP(), artifact_path = ?,"
                    + " last_cursor = NULL, artifact_bytes = 0, rows_exported = 0 WHERE id = ?",
                    identity, artifactPathOf.apply(load(c, id)).toString(), id);
            return Optional.of(new ClaimedJob(load(c, id), identity, ClaimedJob.PENDING));
        });
    }

    /** The processing job with the stalest heartbeat older than the lease; {@code claimed_at} is kept. */
    Optional<ClaimedJob> claimAbandoned(String identity, int leaseTimeoutSeconds) {
        return Tx.inTransaction(ds, c -> {
            Long id = firstId(c, "SELECT id FROM stardust_export_jobs WHERE status = 'processing'"
                    + " AND heartbeat_at IS NOT NULL AND heartbeat_at < UTC_TIMESTAMP() - INTERVAL "
                    + leaseTimeoutSeconds + " SECOND ORDER BY heartbeat_at ASC, id ASC LIMIT 1 FOR UPDATE SKIP LOCKED");
            if (id == null) {
                return Optional.empty();
            }
            Sql.update(c, "UPDATE stardust_export_jobs SET worker_identity = ?, heartbeat_at = UTC_TIMESTAMP()"
                    + " WHERE id = ?", identity, id);
            return Optional.of(new ClaimedJob(load(c, id), identity, ClaimedJob.ABANDONED));
        });
    }

    /** A take-over that cannot resume: the job starts over at {@code path}. False when the lease is gone. */
    boolean restart(ClaimedJob claim, Path path) {
        return guarded(claim, "artifact_path = ?, last_cursor = NULL, artifact_bytes = 0, rows_exported = 0,"
                + " skip_count = 0, heartbeat_at = UTC_TIMESTAMP()", path.toString());
    }

    /** One chunk's progress (and, on the last chunk, completion) in one statement. False: the lease is lost. */
    boolean commitChunk(ClaimedJob claim, Progress p, boolean last) {
        return guarded(claim, "last_cursor = ?, skip_count = ?, artifact_bytes = ?, rows_exported = ?,"
                + " heartbeat_at = UTC_TIMESTAMP()" + (last ? ", status = 'completed', completed_at = UTC_TIMESTAMP()" : ""),
                p.cursor(), p.skipCount(), p.bytes(), p.rows());
    }

    /**
     * Hands a job this worker stops on (shutdown) to the next worker at once: its heartbeat is set far in the past,
     * so the next {@link #claimAbandoned} takes it over (resuming in place) without waiting for the lease to expire.
     * Progress is untouched: it is what the last chunk commit recorded. False when the lease is gone already.
     */
    boolean release(ClaimedJob claim) {
        return guarded(claim, "heartbeat_at = TIMESTAMP('1970-01-01 00:00:01')");
    }

    /** A failure terminal with the progress reached (excessive_skips, query_failure, disk_full, filter_rejected). */
    boolean fail(ClaimedJob claim, String reason, Progress p) {
        return guarded(claim, "status = 'failed', failed_reason = ?, completed_at = UTC_TIMESTAMP(),"
                + " heartbeat_at = UTC_TIMESTAMP(), last_cursor = ?, skip_count = ?", reason, p.cursor(), p.skipCount());
    }

    /** The size-cap terminal: status, reason and times only (as upstream). */
    boolean failOversized(ClaimedJob claim) {
        return guarded(claim, "status = 'failed', failed_reason = 'artifact_size_exceeded',"
                + " completed_at = UTC_TIMESTAMP(), heartbeat_at = UTC_TIMESTAMP()");
    }

    /** The model's live field names in name order under the table collation (the CSV header rule). */
    List<String> liveFields(long tenantId, int modelId) {
        return Tx.withConnection(ds, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.name FROM stardust_fields f JOIN stardust_models m"
                    + " ON m.id = f.model_id AND m.tenant_id = ? WHERE f.model_id = ? AND f.deleted_at IS NULL"
                    + " ORDER BY f.name")) {
                ps.setLong(1, tenantId);
                ps.setInt(2, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Expired artifacts: completed ones older than {@code artifactTtl}, failed partials older than {@code partialTtl}. */
    List<Expired> expired(long artifactTtl, long partialTtl) {
        return Tx.withConnection(ds, c -> {
            List<Expired> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, artifact_path FROM stardust_export_jobs"
                    + " WHERE artifact_path IS NOT NULL AND ((status = 'completed' AND completed_at < UTC_TIMESTAMP()"
                    + " - INTERVAL ? SECOND) OR (status = 'failed' AND completed_at < UTC_TIMESTAMP() - INTERVAL ? SECOND))"
                    + " ORDER BY id")) {
                ps.setLong(1, artifactTtl);
                ps.setLong(2, partialTtl);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Expired(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Forgets a collected artifact's path (the job row stays); only if it still names that file. */
    void forgetArtifact(Expired e) {
        Tx.withConnection(ds, c -> Sql.update(c, "UPDATE stardust_export_jobs SET artifact_path = NULL"
                + " WHERE id = ? AND artifact_path = ?", e.jobId(), e.path()));
    }

    record Expired(long jobId, String path) {
    }

    /** A job's committed progress: cursor (last entry id covered), skipped, artifact bytes, rows written. */
    record Progress(long cursor, long skipCount, long bytes, long rows) {
    }

    private boolean guarded(ClaimedJob claim, String set, Object... values) {
        Object[] all = java.util.Arrays.copyOf(values, values.length + 2);
        all[values.length] = claim.job().id();
        all[values.length + 1] = claim.workerIdentity();
        return Tx.withConnection(ds, c -> Sql.update(c, "UPDATE stardust_export_jobs SET " + set
                + " WHERE id = ? AND worker_identity = ? AND status = 'processing'", all)) == 1;
    }

    private static Long firstId(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static ExportJob load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ExportJobs.COLUMNS
                + " FROM stardust_export_jobs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return ExportJobs.map(rs);
            }
        }
    }
}
