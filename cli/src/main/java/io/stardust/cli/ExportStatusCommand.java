package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ExportJob;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import io.stardust.http.ExportJson;
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
    private static final int RECENT = 50;
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
                jobs.addAll(engine.listExportJobs(tenant, RECENT));
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

    /** The HTTP API's shape of a job plus what an operator also sees: tenant, artifact path, worker, heartbeat. */
    private static ObjectNode toJson(ExportJob job) {
        ObjectNode o = ExportJson.job(job);
        o.put("tenantId", job.tenantId());
        o.put("artifactPath", job.artifactPath());
        o.put("workerIdentity", job.workerIdentity());
        o.put("heartbeatAt", ExportJson.text(job.heartbeatAt()));
        return o;
    }
}
