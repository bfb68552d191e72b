package io.stardust.engine.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryPayload;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.json.Json;
import io.stardust.engine.write.EntryWriter;
import io.stardust.engine.write.PlannedEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Processes one {@code submitBulkWrite} job per call: claims it, then writes its artifact's entries in windows of
 * {@code chunkSize}, each window one transaction together with the job's heartbeat and manifest, so a crash anywhere
 * resumes after the last committed window and never writes an entry twice.
 *
 * <p>Claim: a pending job (oldest {@code created_at}, then id; {@code FOR UPDATE SKIP LOCKED}), else a processing job
 * whose heartbeat is older than the lease (claimed_at kept), each under a fresh worker identity. Every window's
 * update is guarded by that identity: if another worker took the job over, the window rolls back and this worker
 * stops ({@code LeaseLost}). An artifact that cannot be read or is not {@code {"tenant_id", "entries": [...]}} fails
 * the job with {@code malformed_json}; an entry that cannot be written (or names another tenant than the job: Q24)
 * fails it with {@code entry_write_failed} at that window, earlier windows staying committed; both leave a
 * {@code bulk_import} row in {@code stardust_reconciler_dlq}.
 */
public final class ImportJobProcessor {
    private static final int DLQ_MESSAGE_BYTES = 1024;

    private final DataSource ds;
    private final UtcClock clock;
    private final Path artifactDir;
    private final Supplier<String> identities;

    public ImportJobProcessor(DataSource ds, UtcClock clock, Path artifactDir, Supplier<String> identities) {
        this.ds = ds;
        this.clock = clock;
        this.artifactDir = artifactDir;
        this.identities = identities;
    }

    /** How a call ended. */
    public sealed interface Outcome {
    }

    public record Idle() implements Outcome {
    }

    public record Completed(long jobId, long tenantId, String claimKind, int resumeOffset, int chunks, int entriesWritten)
            implements Outcome {
    }

    public record Failed(long jobId, long tenantId, String claimKind, int resumeOffset, String reason, String message)
            implements Outcome {
    }

    public record LeaseLost(long jobId, long tenantId, String claimKind, int resumeOffset) implements Outcome {
    }

    private record Claim(long jobId, String kind, String identity) {
    }

    public Outcome processOne(int chunkSize, int leaseTimeoutSeconds, String correlationId) throws SQLException {
        Claim claim = claim(leaseTimeoutSeconds);
        if (claim == null) {
            return new Idle();
        }
        long tenantId;
        String artifactPath;
        ImportJobs.Manifest manifest;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tenant_id, artifact_path, manifest FROM stardust_import_jobs WHERE id = ?")) {
            ps.setLong(1, claim.jobId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                tenantId = rs.getLong(1);
                artifactPath = rs.getString(2);
                manifest = ImportJobs.Manifest.parse(rs.getString(3));
            }
        }
        int resume = manifest.entriesWritten();
        List<JsonNode> entries;
        try {
            entries = readArtifact(artifactPath);
        } catch (IllegalArgumentException e) {
            fail(claim, tenantId, manifest, "malformed_json", e.getMessage(), correlationId);
            return new Failed(claim.jobId(), tenantId, claim.kind(), resume, "malformed_json", e.getMessage());
        }
        for (int offset = resume; offset < entries.size(); offset += chunkSize) {
            List<JsonNode> window = entries.subList(offset, Math.min(entries.size(), offset + chunkSize));
            ImportJobs.Manifest before = manifest;
            try {
                ImportJobs.Manifest after = Tx.inTransaction(ds, c -> writeWindow(c, claim, tenantId, before, window));
                if (after == null) {
                    return new LeaseLost(claim.jobId(), tenantId, claim.kind(), resume);
                }
                manifest = after;
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                fail(claim, tenantId, manifest.plus(window.size(), "failed", null, null, message), "entry_write_failed",
                        message, correlationId);
                return new Failed(claim.jobId(), tenantId, claim.kind(), resume, "entry_write_failed", message);
            }
        }
        LocalDateTime now = clock.now();
        String done = manifest.json();
        Tx.inTransaction(ds, c -> Sql.update(c, "UPDATE stardust_import_jobs SET status = 'completed', manifest = ?,"
                + " completed_at = ?, heartbeat_at = ? WHERE id = ? AND worker_identity = ?", done, now, now,
                claim.jobId(), claim.identity()));
        return new Completed(claim.jobId(), tenantId, claim.kind(), resume, manifest.chunks(), manifest.entriesWritten());
    }

    /** Writes one window and moves the manifest; null when the lease was lost (the window is rolled back). */
    private ImportJobs.Manifest writeWindow(Connection c, Claim claim, long tenantId, ImportJobs.Manifest manifest,
                                            List<JsonNode> window) throws SQLException {
        List<EntryPayload> payloads = new ArrayList<>(window.size());
        for (JsonNode e : window) {
            long entryTenant = e.path("tenant_id").asLong(-1);
            if (entryTenant != tenantId) {
                throw new IllegalStateException("an entry of the artifact names tenant " + e.path("tenant_id")
                        + ", but the job belongs to tenant " + tenantId);
            }
            JsonNode fields = e.get("fields");
            payloads.add(new EntryPayload(tenantId, e.path("model_id").asInt(),
                    fields != null && fields.isObject() ? (ObjectNode) fields : Json.object()));
        }
        List<PlannedEntry> planned = EntryWriter.planAll(c, payloads);
        List<Long> ids = EntryWriter.writeAll(c, planned, clock.now());
        ImportJobs.Manifest after = manifest.plus(window.size(), "committed", ids.get(0), ids.get(ids.size() - 1), null);
        int owned = Sql.update(c, "UPDATE stardust_import_jobs SET heartbeat_at = ?, manifest = ? WHERE id = ?"
                + " AND worker_identity = ? AND status = 'processing'", clock.now(), after.json(), claim.jobId(), claim.identity());
        if (owned == 0) {
            c.rollback();
            return null;
        }
        return after;
    }

    private void fail(Claim claim, long tenantId, ImportJobs.Manifest manifest, String reason, String message,
                      String correlationId) {
        LocalDateTime now = clock.now();
        Tx.inTransaction(ds, c -> {
            int owned = Sql.update(c, "UPDATE stardust_import_jobs SET status = 'failed', failed_reason = ?, manifest = ?,"
                    + " completed_at = ?, heartbeat_at = ? WHERE id = ? AND worker_identity = ?", reason, manifest.json(),
                    now, now, claim.jobId(), claim.identity());
            if (owned == 1) {
                Sql.update(c, "INSERT INTO stardust_reconciler_dlq (source, entry_id, tenant_id, model_id, reason,"
                        + " error_message, failed_at, retry_count, chunk_correlation_id) VALUES ('bulk_import', NULL, ?, 0, ?,"
                        + " ?, ?, 0, ?)", tenantId, "malformed_json".equals(reason) ? "malformed_json" : "other",
                        truncate(message), now, correlationId);
            }
            return null;
        });
    }

    private Claim claim(int leaseTimeoutSeconds) throws SQLException {
        String identity = identities.get();
        LocalDateTime now = clock.now();
        Claim pending = Tx.inTransaction(ds, c -> {
            long id = Sql.queryLong(c, "SELECT id FROM stardust_import_jobs WHERE status = 'pending'"
                    + " ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", -1);
            if (id < 0) {
                return null;
            }
            Sql.update(c, "UPDATE stardust_import_jobs SET status = 'processing', worker_identity = ?, claimed_at = ?,"
                    + " heartbeat_at = ? WHERE id = ?", identity, now, now, id);
            return new Claim(id, "pending", identity);
        });
        if (pending != null) {
            return pending;
        }
        return Tx.inTransaction(ds, c -> {
            long id = Sql.queryLong(c, "SELECT id FROM stardust_import_jobs WHERE status = 'processing'"
                    + " AND heartbeat_at IS NOT NULL AND heartbeat_at < ? - INTERVAL ? SECOND"
                    + " ORDER BY heartbeat_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", -1, now, leaseTimeoutSeconds);
            if (id < 0) {
                return null;
            }
            Sql.update(c, "UPDATE stardust_import_jobs SET worker_identity = ?, heartbeat_at = ? WHERE id = ?",
                    identity, now, id);
            return new Claim(id, "abandoned", identity);
        });
    }

    private List<JsonNode> readArtifact(String artifactPath) {
        Path path = Path.of(artifactPath);
        if (!path.isAbsolute()) {
            path = artifactDir.resolve(path);
        }
        JsonNode doc;
        try {
            doc = Json.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the artifact " + path + " cannot be read: " + e.getMessage());
        }
        if (!doc.isObject() || !doc.path("tenant_id").isIntegralNumber() || !doc.path("entries").isArray()) {
            throw new IllegalArgumentException("the artifact " + path + " is not {\"tenant_id\": ..., \"entries\": [...]}");
        }
        List<JsonNode> out = new ArrayList<>();
        doc.get("entries").forEach(out::add);
        return out;
    }

    private static String truncate(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= DLQ_MESSAGE_BYTES) {
            return message;
        }
        String cut = new String(bytes, 0, DLQ_MESSAGE_BYTES, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
