package io.stardust.engine.write;

import com.fasterxml.jackson.core.JsonGenerator;
import io.stardust.EntryPayload;
import io.stardust.StarDustException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Asynchronous bulk submission: the payload goes to an artifact file, a pending
 * {@code stardust_import_jobs} row points at it, and an import worker processes it later.
 *
 * <p>Crash behaviour: the artifact is written to a temporary name, forced to disk and renamed into place, so a
 * job row never points at a partial file. A crash after the rename and before the job row commits leaves an
 * unreferenced artifact (harmless; it is never read). A crash after the commit leaves a complete pending job.
 */
public final class BulkSubmitter {
    private final DataSource ds;
    private final UtcClock clock;
    private final Path artifactDir;
    private final EventLog events = new EventLog("bulk_api");

    public BulkSubmitter(DataSource ds, UtcClock clock, Path artifactDir) {
        this.ds = ds;
        this.clock = clock;
        this.artifactDir = artifactDir;
    }

    public long submit(long tenantId, List<EntryPayload> payloads, String idempotencyKey) {
        TenantIds.require(tenantId);
        if (payloads.isEmpty()) {
            throw new StarDustException("an asynchronous bulk submission needs at least one entry");
        }
        for (int i = 0; i < payloads.size(); i++) {
            long t = payloads.get(i).tenantId();
            TenantIds.require(t);
            if (t != tenantId) {
                throw new StarDustException("entry [" + i + "] has tenant " + t + ", but the submission is for tenant " + tenantId);
            }
            StorableFields.check(payloads.get(i).fields()); // refused now, not when a worker reads the artifact
        }
        if (idempotencyKey != null) {
            Optional<Long> existing = findByKey(tenantId, idempotencyKey);
            if (existing.isPresent()) {
                accepted(tenantId, existing.get(), payloads.size(), idempotencyKey);
                return existing.get();
            }
        }
        java.util.Set<Integer> models = new java.util.TreeSet<>();
        payloads.forEach(p -> models.add(p.modelId()));
        Tx.withConnection(ds, c -> {
            for (int model : models) {
                io.stardust.engine.lifecycle.PayloadCanonicaliser.requireModelLive(c, model);
            }
            return null;
        });
        Path artifact = writeArtifact(tenantId, payloads);
        long jobId;
        try {
            jobId = Tx.inTransaction(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_import_jobs (tenant_id, status,"
                        + " idempotency_key, artifact_path, entry_count, created_at) VALUES (?, 'pending', ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, tenantId);
                    ps.setString(2, idempotencyKey);
                    ps.setString(3, artifact.toAbsolutePath().toString());
                    ps.setInt(4, payloads.size());
                    ps.setObject(5, clock.now());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
        } catch (RuntimeException e) {
            deleteQuietly(artifact);
            if (idempotencyKey != null && Sql.isDuplicateKey(e)) { // lost a race for the same key
                long existing = findByKey(tenantId, idempotencyKey).orElseThrow(() -> e);
                accepted(tenantId, existing, payloads.size(), idempotencyKey);
                return existing;
            }
            throw e;
        }
        accepted(tenantId, jobId, payloads.size(), idempotencyKey);
        return jobId;
    }

    private Optional<Long> findByKey(long tenantId, String key) {
        return Tx.withConnection(ds, c -> {
            long id = Sql.queryLong(c, "SELECT id FROM stardust_import_jobs WHERE tenant_id = ? AND idempotency_key = ?", -1,
                    tenantId, key);
            return id < 0 ? Optional.empty() : Optional.of(id);
        });
    }

    private Path writeArtifact(long tenantId, List<EntryPayload> payloads) {
        try {
            Files.createDirectories(artifactDir);
            Path target = artifactDir.resolve("import_" + tenantId + "_" + UUID.randomUUID() + ".json");
            Path partial = artifactDir.resolve(target.getFileName() + ".partial");
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch);
                 JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeNumberField("tenant_id", tenantId);
                g.writeArrayFieldStart("entries");
                for (EntryPayload p : payloads) {
                    g.writeStartObject();
                    g.writeNumberField("tenant_id", p.tenantId());
                    g.writeNumberField("model_id", p.modelId());
                    g.writeFieldName("fields");
                    g.writeTree(p.fields());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.flush();
                ch.force(true);
            }
            return Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StarDustException("cannot write the import artifact in " + artifactDir + ": " + e.getMessage(), e);
        }
    }

    private void accepted(long tenantId, long jobId, int count, String key) {
        events.info("bulk_accepted", "tenant_id", tenantId, "job_id", jobId, "entry_count", count, "idempotency_key", key);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // an unreferenced artifact is harmless
        }
    }
}
