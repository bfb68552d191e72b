package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ImportJob;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import io.stardust.http.imports.FileImports.View;
import io.stardust.http.imports.ImportJson;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import:status", mixinStandardHelpOptions = true,
        description = {"Imports of both kinds; which one is asked for follows from the arguments:",
                "- with --tenant and --id: an asynchronous import job (submitBulkWrite, run by the Reconciler): status,",
                "  entries written of entries submitted, and one line per processed chunk (size, outcome, first and last",
                "  entry id, failure reason). A job of another tenant is not found (exit 2). --config: the database settings.",
                "- otherwise: file imports (bin/stardust streams, import:submit): without ID every import, with ID that one:",
                "  state (claimed, reading, read, routed = every line accepted or rejected, landed = every accepted line",
                "  also written to MySQL or dead-lettered by the gateway, failed), lines read, accepted, rejected, landed,",
                "  dead-lettered, rate and ETA; with ID also the dead-lettered lines as file:line: reason. ID is the",
                "  import id or a prefix of at least 8 characters.",
                "  --config: the streams app's settings file."})
final class ImportStatusCommand implements Callable<Integer> {
    private static final String ROW = "%-6s %-6s %-10s %-12s %-12s %s%n";
    private static final String FILE_ROW = "%-12s  %-8s  %10s  %10s  %10s  %10s  %8s  %10s  %8s  %s%n";

    @Mixin
    Connection connection;

    @Option(names = "--tenant", paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Import job: tenant id (a positive integer).")
    Long tenant;

    @Option(names = "--id", paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Import job id (with --tenant).")
    Long id;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "File import id (or a prefix of at least 8 characters).")
    String fileImportId;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        if (id == null && tenant == null) {
            return fileImports();
        }
        if (id == null || tenant == null || fileImportId != null) {
            throw new UsageException("an import job needs both --tenant and --id (and no file import ID)");
        }
        try (StarDust engine = connection.open()) {
            ImportJob job = engine.getImportJob(tenant, id)
                    .orElseThrow(() -> new UsageException("tenant " + tenant + " has no import job " + id));
            System.out.println(json ? Json.write(toJson(job)) : toText(job));
        }
        return 0;
    }

    private int fileImports() {
        FileImports imports = new FileImports(connection.configFile);
        List<View> views = fileImportId == null ? List.copyOf(imports.all().values())
                : List.of(imports.find(fileImportId));
        if (json) {
            ArrayNode out = Json.mapper().createArrayNode();
            views.forEach(v -> out.add(ImportJson.view(v)));
            System.out.println(Json.write(fileImportId == null ? out : out.get(0)));
            return 0;
        }
        if (views.isEmpty()) {
            System.out.println("no file imports");
            return 0;
        }
        System.out.printf(FILE_ROW, "IMPORT", "STATE", "READ", "ACCEPTED", "REJECTED", "LANDED", "DLQ", "LINES/S", "ETA", "FILE");
        for (View v : views) {
            long eta = v.etaSeconds();
            System.out.printf(FILE_ROW, v.importId().substring(0, 12), v.state(), v.linesRead(), v.accepted(), v.rejected(),
                    v.landed(), v.deadLettered(), Math.round(v.rate()), eta < 0 ? "-" : eta + "s", v.file());
            if (v.progress() != null && v.progress().reason() != null) {
                System.out.println("  failed: " + v.progress().reason());
            }
            if (fileImportId != null && v.counts() != null) {
                v.counts().deadLetteredAt().forEach(l -> System.out.println("  dead-lettered: " + l));
                long unlisted = v.deadLettered() - v.counts().deadLetteredLines().size();
                if (unlisted > 0) {
                    System.out.println("  ... and " + unlisted + " more dead-lettered (bin/stardust ingest:dlq:list)");
                }
            }
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
