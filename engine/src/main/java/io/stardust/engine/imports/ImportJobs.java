package io.stardust.engine.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ImportJob;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads import jobs and their manifest. The manifest ({@code stardust_import_jobs.manifest}) is upstream's
 * {@code {"chunks", "entries_written"}} plus {@code chunk_manifest}, one object per processed window.
 */
public final class ImportJobs {
    private final DataSource ds;

    public ImportJobs(DataSource ds) {
        this.ds = ds;
    }

    /** Empty when the job does not exist or belongs to another tenant. */
    public Optional<ImportJob> get(long tenantId, long jobId) {
        return Tx.withConnection(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant_id, status, entry_count, manifest,"
                    + " failed_reason, idempotency_key, created_at, claimed_at, heartbeat_at, completed_at"
                    + " FROM stardust_import_jobs WHERE id = ? AND tenant_id = ?")) {
                ps.setLong(1, jobId);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Manifest m = Manifest.parse(rs.getString("manifest"));
                    return Optional.of(new ImportJob(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("status"),
                            rs.getInt("entry_count"), m.entriesWritten(), m.chunks(), m.chunkList(),
                            rs.getString("failed_reason"), rs.getString("idempotency_key"), Sql.dateTime(rs, "created_at"),
                            Sql.dateTime(rs, "claimed_at"), Sql.dateTime(rs, "heartbeat_at"),
                            Sql.dateTime(rs, "completed_at")));
                }
            }
        });
    }

    /** The job's progress: windows done, entries written and the per-window records. */
    record Manifest(int chunks, int entriesWritten, ArrayNode chunkManifest) {

        static Manifest parse(String json) {
            try {
                JsonNode n = json == null ? null : Json.parse(json);
                if (n != null && n.isObject()) {
                    ArrayNode list = n.path("chunk_manifest").isArray() ? (ArrayNode) n.get("chunk_manifest").deepCopy()
                            : Json.mapper().createArrayNode();
                    return new Manifest(n.path("chunks").asInt(0), n.path("entries_written").asInt(0), list);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
                // a manifest that does not parse resumes from the start; entries never duplicate (see the processor)
            }
            return new Manifest(0, 0, Json.mapper().createArrayNode());
        }

        Manifest plus(int size, String outcome, Long first, Long last, String failure) {
            ArrayNode list = chunkManifest.deepCopy();
            ObjectNode chunk = list.addObject();
            chunk.put("index", chunks);
            chunk.put("size", size);
            chunk.put("outcome", outcome);
            if (first == null) {
                chunk.putNull("entry_id_first");
                chunk.putNull("entry_id_last");
            } else {
                chunk.put("entry_id_first", first);
                chunk.put("entry_id_last", last);
            }
            if (failure == null) {
                chunk.putNull("failure_reason");
            } else {
                chunk.put("failure_reason", failure);
            }
            boolean committed = "committed".equals(outcome);
            return new Manifest(committed ? chunks + 1 : chunks, committed ? entriesWritten + size : entriesWritten, list);
        }

        String json() {
            ObjectNode n = Json.object();
            n.put("chunks", chunks);
            n.put("entries_written", entriesWritten);
            n.set("chunk_manifest", chunkManifest);
            return Json.write(n);
        }

        List<ImportJob.Chunk> chunkList() {
            List<ImportJob.Chunk> out = new ArrayList<>();
            for (JsonNode c : chunkManifest) {
                out.add(new ImportJob.Chunk(c.path("index").asInt(), c.path("size").asInt(), c.path("outcome").asText(),
                        c.path("entry_id_first").isNumber() ? c.get("entry_id_first").asLong() : null,
                        c.path("entry_id_last").isNumber() ? c.get("entry_id_last").asLong() : null,
                        c.path("failure_reason").isTextual() ? c.get("failure_reason").asText() : null));
            }
            return out;
        }
    }
}
