package io.stardust.engine.export;

import io.stardust.ExportArtifact;
import io.stardust.ExportFormat;
import io.stardust.ExportJob;
import io.stardust.ExportJobActiveCapExceededException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Submission and reading of export jobs ({@code stardust_export_jobs}); the Chronicler claims and processes them.
 * The filter was validated by the caller before {@link #submit}.
 */
public final class ExportJobs {
    /** The job columns {@link #map} reads, for every query of whole jobs. */
    public static final String COLUMNS = "id, tenant_id, status, filter, format, last_cursor, artifact_path,"
            + " artifact_bytes, rows_exported, failed_reason, skip_count, worker_identity, correlation_id, claimed_at,"
            + " heartbeat_at, created_at, completed_at";

    private final DataSource ds;
    private final UtcClock clock;
    private final int activeCap;
    private final EventLog events = new EventLog("export_api");

    public ExportJobs(DataSource ds, UtcClock clock, int activeCap) {
        this.ds = ds;
        this.clock = clock;
        this.activeCap = activeCap;
    }

    /**
     * Inserts a pending job unless the tenant already has {@code activeCap} pending or processing ones. The locking
     * read of the tenant's active jobs serialises concurrent submitters of one tenant (their gap locks), so the cap
     * holds under concurrency; a blocked sibling waits or fails with a lock wait timeout, never over-inserts.
     */
    public long submit(long tenantId, ExportFormat format, ExportEnvelope envelope, String correlationId) {
        long id = Tx.inTransaction(ds, c -> {
            int active = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM stardust_export_jobs WHERE tenant_id = ?"
                    + " AND status IN ('pending','processing') FOR UPDATE")) {
                ps.setLong(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        active++;
                    }
                }
            }
            if (active >= activeCap) {
                throw new ExportJobActiveCapExceededException(tenantId, active, activeCap);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_export_jobs (tenant_id, status, filter,"
                    + " format, correlation_id, created_at) VALUES (?, 'pending', ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, tenantId);
                ps.setString(2, envelope.toJson());
                ps.setString(3, format.wireName());
                ps.setString(4, correlationId);
                ps.setObject(5, clock.now());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        events.info("export_accepted", "correlation_id", correlationId, "tenant_id", tenantId, "job_id", id,
                "model_id", envelope.modelId(), "format", format.wireName());
        return id;
    }

    /** Empty when the job does not exist or belongs to another tenant. */
    public Optional<ExportJob> get(long tenantId, long jobId) {
        return Tx.withConnection(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM stardust_export_jobs WHERE id = ? AND tenant_id = ?")) {
                ps.setLong(1, jobId);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The tenant's most recent jobs, newest first, at most {@code limit}; of one model, or of every model when null. */
    public java.util.List<ExportJob> recent(long tenantId, Integer modelId, int limit) {
        return Tx.withConnection(ds, c -> {
            java.util.List<ExportJob> out = new java.util.ArrayList<>();
            // the model id lives in the job's envelope (upstream's filter column), not in a column of its own
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM stardust_export_jobs"
                    + " WHERE tenant_id = ?"
                    + (modelId == null ? "" : " AND CAST(JSON_EXTRACT(filter, '$.model_id') AS UNSIGNED) = ?")
                    + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                ps.setLong(i++, tenantId);
                if (modelId != null) {
                    ps.setInt(i++, modelId);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The completed job's artifact; empty when the job is not the tenant's, not completed, or its file is gone. */
    public Optional<ExportArtifact> artifact(long tenantId, long jobId) {
        return get(tenantId, jobId).filter(ExportJob::completed).filter(j -> j.artifactPath() != null)
                .flatMap(j -> {
                    Path path = Path.of(j.artifactPath());
                    try {
                        long size = Files.size(path);
                        String name = "export_" + j.id() + "." + j.format().wireName() + (j.gzip() ? ".gz" : "");
                        return Optional.of(new ExportArtifact(j.id(), path, size, name,
                                j.gzip() ? "application/gzip" : j.format().contentType()));
                    } catch (java.io.IOException gone) {
                        return Optional.empty(); // deleted behind the row's back (by hand, or a GC racing us)
                    }
                });
    }

    /** One job row selected with {@link #COLUMNS}. */
    public static ExportJob map(ResultSet rs) throws SQLException {
        ExportEnvelope envelope = ExportEnvelope.parse(rs.getString("filter"));
        long cursor = rs.getLong("last_cursor");
        Long lastCursor = rs.wasNull() ? null : cursor;
        long bytes = rs.getLong("artifact_bytes");
        Long artifactBytes = rs.wasNull() ? null : bytes;
        return new ExportJob(rs.getLong("id"), rs.getLong("tenant_id"), envelope.modelId(), rs.getString("status"),
                ExportFormat.of(rs.getString("format")), envelope.gzip(), envelope.filter(), envelope.select(),
                lastCursor, rs.getString("artifact_path"), artifactBytes, rs.getLong("rows_exported"),
                rs.getString("failed_reason"), rs.getLong("skip_count"), rs.getString("worker_identity"),
                rs.getString("correlation_id"), Sql.dateTime(rs, "claimed_at"), Sql.dateTime(rs, "heartbeat_at"),
                Sql.dateTime(rs, "created_at"), Sql.dateTime(rs, "completed_at"));
    }
}
