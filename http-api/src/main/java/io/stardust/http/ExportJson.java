package io.stardust.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ExportJob;
import io.stardust.engine.json.Json;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The JSON shape of an export job over HTTP, and the base of {@code export:status --json}. The artifact's server
 * path and the worker's identity stay inside: a client downloads through {@code .../artifact} (the CLI, an
 * operator's tool, adds them).
 */
public final class ExportJson {
    private ExportJson() {
    }

    public static ObjectNode job(ExportJob job) {
        ObjectNode o = Json.object();
        o.put("jobId", job.id());
        o.put("modelId", job.modelId());
        o.put("status", job.status());
        o.put("format", job.format().wireName());
        o.put("gzip", job.gzip());
        if (job.filter() == null) {
            o.putNull("filter");
        } else {
            o.set("filter", Json.parseStored(job.filter()));
        }
        if (job.select() == null) {
            o.putNull("select");
        } else {
            ArrayNode s = o.putArray("select");
            job.select().forEach(s::add);
        }
        o.put("rowsExported", job.rowsExported());
        o.put("skipCount", job.skipCount());
        putLong(o, "lastCursor", job.lastCursor());
        putLong(o, "artifactBytes", job.artifactBytes());
        o.put("failedReason", job.failedReason());
        o.put("createdAt", text(job.createdAt()));
        o.put("claimedAt", text(job.claimedAt()));
        o.put("completedAt", text(job.completedAt()));
        return o;
    }

    static ObjectNode list(List<ExportJob> jobs) {
        ObjectNode o = Json.object();
        ArrayNode all = o.putArray("exports");
        jobs.forEach(j -> all.add(job(j)));
        return o;
    }

    private static void putLong(ObjectNode o, String key, Long value) {
        if (value == null) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    public static String text(LocalDateTime t) {
        return t == null ? null : t + "Z";
    }
}
