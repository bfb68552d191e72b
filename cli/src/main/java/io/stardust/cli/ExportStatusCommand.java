package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ExportJob;
import io.stardust.StarDust;
import io.stardust.engine.db.Tx;
import io.stardust.engine.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export:status", mixinStandardHelpOptions = true,
        description = {"Export jobs of a tenant: status, rows written, skipped rows, artifact path, failure reason.",
                "Without --id, the tenant's 50 most recent jobs. A job of another tenant is not found (exit 2)."})
final class ExportStatusCommand implements Callable<Integer> {
    private static final String ROW = "%-8s %-11s %-7s %-5s %-10s %-6s %s%n";

    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--id", paramLabel = "N", converter = CanonicalNumberConverter.class, description = "Export job id.")
    Long id;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            List<ExportJob> jobs = new ArrayList<>();
            if (id != null) {
                jobs.add(engine.getExportJob(tenant, id)
                        .orElseThrow(() -> new UsageException("tenant " + tenant + " has no export job " + id)));
            } else {
                for (long jobId : recent(engine)) {
                    engine.getExportJob(tenant, jobId).ifPresent(jobs::add);
                }
            }
            if (json) {
                if (id != null) {
                    System.out.println(Json.write(toJson(jobs.get(0))));
                } else {
                    ArrayNode all = Json.mapper().createArrayNode();
                    jobs.forEach(j -> all.add(toJson(j)));
                    System.out.println(Json.write(all));
                }
            } else {
                System.out.printf(ROW, "JOB", "STATUS", "FORMAT", "GZIP", "ROWS", "SKIPS", "ARTIFACT / FAILURE");
                for (ExportJob j : jobs) {
                    System.out.printf(ROW, j.id(), j.status(), j.format().wireName(), j.gzip() ? "yes" : "no",
                            j.rowsExported(), j.skipCount(), j.failedReason() != null ? j.failedReason()
                                    : j.artifactPath() == null ? "-" : j.artifactPath());
                }
            }
        }
        return 0;
    }

    private List<Long> recent(StarDust engine) {
        io.stardust.engine.write.TenantIds.require(tenant);
        return Tx.withConnection(engine.dataSource(), c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM stardust_export_jobs WHERE tenant_id = ? ORDER BY id DESC LIMIT 50")) {
                ps.setLong(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    private static ObjectNode toJson(ExportJob job) {
        ObjectNode o = Json.object();
        o.put("jobId", job.id());
        o.put("tenantId", job.tenantId());
        o.put("modelId", job.modelId());
        o.put("status", job.status());
        o.put("format", job.format().wireName());
        o.put("gzip", job.gzip());
        if (job.filter() == null) {
            o.putNull("filter");
        } else {
            o.set("filter", io.stardust.engine.json.Json.parseStored(job.filter()));
        }
        if (job.select() == null) {
            o.putNull("select");
        } else {
            ArrayNode s = o.putArray("select");
            job.select().forEach(s::add);
        }
        o.put("rowsExported", job.rowsExported());
        o.put("skipCount", job.skipCount());
        if (job.lastCursor() == null) {
            o.putNull("lastCursor");
        } else {
            o.put("lastCursor", job.lastCursor());
        }
        o.put("artifactPath", job.artifactPath());
        if (job.artifactBytes() == null) {
            o.putNull("artifactBytes");
        } else {
            o.put("artifactBytes", job.artifactBytes());
        }
        o.put("failedReason", job.failedReason());
        o.put("workerIdentity", job.workerIdentity());
        o.put("createdAt", text(job.createdAt()));
        o.put("claimedAt", text(job.claimedAt()));
        o.put("heartbeatAt", text(job.heartbeatAt()));
        o.put("completedAt", text(job.completedAt()));
        return o;
    }

    private static String text(LocalDateTime t) {
        return t == null ? null : t + "Z";
    }
}
