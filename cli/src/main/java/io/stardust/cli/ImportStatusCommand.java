package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ImportJob;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import:status", mixinStandardHelpOptions = true,
        description = {"An asynchronous import job (submitBulkWrite): status, entries written of entries submitted,",
                "and one line per processed chunk (size, outcome, first and last entry id, failure reason).",
                "A running Reconciler processes pending jobs. A job of another tenant is not found (exit 2)."})
final class ImportStatusCommand implements Callable<Integer> {
    private static final String ROW = "%-6s %-6s %-10s %-12s %-12s %s%n";

    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--id", required = true, paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Import job id.")
    long id;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            ImportJob job = engine.getImportJob(tenant, id)
                    .orElseThrow(() -> new UsageException("tenant " + tenant + " has no import job " + id));
            System.out.println(json ? Json.write(toJson(job)) : toText(job));
        }
        return 0;
    }

    private static String toText(ImportJob job) {
        StringBuilder out = new StringBuilder("import job " + job.id() + " (tenant " + job.tenantId() + "): " + job.status()
                + ", " + job.entriesWritten() + "/" + job.entryCount() + " entries written in " + job.chunks() + " chunk(s)");
        if (job.failedReason() != null) {
            out.append(", failed: ").append(job.failedReason());
        }
        if (job.idempotencyKey() != null) {
            out.append("\nidempotency key: ").append(job.idempotencyKey());
        }
        if (!job.chunkManifest().isEmpty()) {
            out.append('\n').append(String.format(ROW, "CHUNK", "SIZE", "OUTCOME", "FIRST_ID", "LAST_ID", "FAILURE"));
            for (ImportJob.Chunk c : job.chunkManifest()) {
                out.append(String.format(ROW, c.index(), c.size(), c.outcome(), dash(c.entryIdFirst()),
                        dash(c.entryIdLast()), dash(c.failureReason())));
            }
        }
        return out.toString().stripTrailing();
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static ObjectNode toJson(ImportJob job) {
        ObjectNode o = Json.object();
        o.put("jobId", job.id());
        o.put("tenantId", job.tenantId());
        o.put("status", job.status());
        o.put("entryCount", job.entryCount());
        o.put("entriesWritten", job.entriesWritten());
        o.put("chunks", job.chunks());
        o.put("failedReason", job.failedReason());
        o.put("idempotencyKey", job.idempotencyKey());
        o.put("createdAt", text(job.createdAt()));
        o.put("claimedAt", text(job.claimedAt()));
        o.put("heartbeatAt", text(job.heartbeatAt()));
        o.put("completedAt", text(job.completedAt()));
        ArrayNode chunks = o.putArray("chunkManifest");
        for (ImportJob.Chunk c : job.chunkManifest()) {
            ObjectNode n = chunks.addObject();
            n.put("index", c.index());
            n.put("size", c.size());
            n.put("outcome", c.outcome());
            putId(n, "entryIdFirst", c.entryIdFirst());
            putId(n, "entryIdLast", c.entryIdLast());
            n.put("failureReason", c.failureReason());
        }
        return o;
    }

    private static void putId(ObjectNode o, String key, Long id) {
        if (id == null) {
            o.putNull(key);
        } else {
            o.put(key, id);
        }
    }

    private static String text(LocalDateTime t) {
        return t == null ? null : t + "Z";
    }
}
