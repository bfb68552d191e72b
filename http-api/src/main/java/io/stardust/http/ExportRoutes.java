package io.stardust.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ExportArtifact;
import io.stardust.ExportFormat;
import io.stardust.ExportJob;
import io.stardust.ExportJobActiveCapExceededException;
import io.stardust.ExportRequest;
import io.stardust.ModelSummary;
import io.stardust.StarDust;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Exports of a model (scope {@code export}): submit, list, status, and the artifact's download (streamed from the
 * file, {@code Range} supported). A job is addressed under its model: a job id of another model or tenant is 404.
 */
final class ExportRoutes {
    /** Jobs a listing returns, newest first. */
    static final int LIST_LIMIT = 100;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final Set<String> MEMBERS = Set.of("format", "filter", "select", "gzip");

    private final StarDust engine;
    private final HttpConfig.Limits limits;

    ExportRoutes(StarDust engine, HttpConfig.Limits limits) {
        this.engine = engine;
        this.limits = limits;
    }

    /** {@code {"format":"csv|json|ndjson","filter":<search document>,"select":[...],"gzip":false}}, all optional. */
    HttpReply submit(ApiHandler.Call c) {
        long tenant = c.tenant();
        ModelSummary model = ModelRoutes.model(engine, c);
        byte[] raw = c.http().body(limits.maxBodyBytes());
        ObjectNode body = raw.length == 0 ? Json.object() : JsonBodies.object(raw, "request body");
        body.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw HttpError.badRequest("bad_request_body", "unknown member '" + name
                        + "'; an export takes format, filter, select and gzip");
            }
        });
        ExportRequest request = ExportRequest.of(tenant, model.modelId(), format(body.get("format")))
                .withCorrelationId(c.http().correlationId());
        JsonNode filter = body.get("filter");
        if (filter != null && !filter.isNull()) {
            if (!filter.isObject()) {
                throw HttpError.badRequest("bad_request_body", "'filter' must be a search document object"
                        + " ({\"version\":\"1\",\"filter\":{...}})");
            }
            request = request.withFilter(Json.write(filter));
        }
        JsonNode select = body.get("select");
        if (select != null && !select.isNull()) {
            request = request.withSelect(select(select));
        }
        JsonNode gzip = body.get("gzip");
        if (gzip != null && !gzip.isNull()) {
            if (!gzip.isBoolean()) {
                throw HttpError.badRequest("bad_request_body", "'gzip' must be true or false");
            }
            request = request.withGzip(gzip.booleanValue());
        }
        long id;
        try {
            id = engine.submitExport(request);
        } catch (ExportJobActiveCapExceededException e) {
            throw new HttpError(429, "export_active_cap_exceeded", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("bad_request_body", e.getMessage()); // select empty or naming a field twice
        }
        ExportJob job = engine.getExportJob(tenant, id).orElseThrow();
        return ApiHandler.Replies.of(202, ExportJson.job(job))
                .withHeader("Location", trimSlash(c.http().rawPath()) + "/" + id);
    }

    HttpReply list(ApiHandler.Call c) {
        ModelSummary model = ModelRoutes.model(engine, c);
        return ApiHandler.Replies.ok(ExportJson.list(engine.listExportJobs(c.tenant(), model.modelId(), LIST_LIMIT)));
    }

    HttpReply status(ApiHandler.Call c) {
        return ApiHandler.Replies.ok(ExportJson.job(job(c)));
    }

    /**
     * The artifact: 200 whole or 206 one range; 409 while the job has not completed (or failed), 410 once the
     * garbage collector deleted the file, 416 for a range past its end.
     */
    HttpReply artifact(ApiHandler.Call c) {
        ExportJob job = job(c);
        if (!job.completed()) {
            if ("failed".equals(job.status())) {
                throw new HttpError(409, "export_failed", "export " + job.id() + " failed (" + job.failedReason()
                        + "); it has no artifact");
            }
            throw new HttpError(409, "export_not_finished", "export " + job.id() + " is " + job.status()
                    + " (" + job.rowsExported() + " rows so far); download it once its status is completed");
        }
        ExportArtifact file = engine.exportArtifact(c.tenant(), job.id()).orElseThrow(() -> new HttpError(410,
                "artifact_expired", "the artifact of export " + job.id() + " was deleted (chroniclerArtifactTtlSeconds)"));
        long size = file.size();
        String etag = "\"" + job.id() + "-" + size + "-" + job.completedAt().toEpochSecond(ZoneOffset.UTC) + "\"";
        ByteRange.Parsed parsed = ByteRange.parse(c.http().header("Range"), size);
        if (parsed instanceof ByteRange.Unsatisfiable) {
            return HttpReply.error(416, "range_not_satisfiable", "the artifact has " + size + " bytes")
                    .withHeader("Content-Range", "bytes */" + size);
        }
        ByteRange range = parsed instanceof ByteRange.Partial p ? p.range() : new ByteRange(0, size - 1);
        HttpReply reply = HttpReply.streamed(parsed instanceof ByteRange.Partial ? 206 : 200, file.contentType(),
                new FileSlice(file, range.first(), size == 0 ? 0 : range.length()));
        if (parsed instanceof ByteRange.Partial) {
            reply = reply.withHeader("Content-Range", range.contentRange(size));
        }
        return reply.withHeader("Accept-Ranges", "bytes")
                .withHeader("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"")
                .withHeader("ETag", etag)
                .withHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        job.completedAt().atOffset(ZoneOffset.UTC)));
    }

    /** The path's job, if it is the path tenant's and the path model's; else 404. */
    private ExportJob job(ApiHandler.Call c) {
        long tenant = c.tenant();
        ModelSummary model = ModelRoutes.model(engine, c);
        long id = NumericParams.canonical(c.param(2), "export id");
        return engine.getExportJob(tenant, id).filter(j -> j.modelId() == model.modelId())
                .orElseThrow(() -> new HttpError(404, "not_found", "no export " + id + " of model " + model.name()
                        + " for tenant " + tenant));
    }

    private static ExportFormat format(JsonNode n) {
        if (n == null || n.isNull()) {
            return ExportFormat.CSV;
        }
        if (!n.isTextual()) {
            throw HttpError.badRequest("bad_request_body", "'format' must be \"csv\", \"json\" or \"ndjson\"");
        }
        try {
            return ExportFormat.of(n.textValue());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("bad_request_body", e.getMessage());
        }
    }

    private static List<String> select(JsonNode n) {
        if (!n.isArray()) {
            throw HttpError.badRequest("bad_request_body", "'select' must be an array of field names");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw HttpError.badRequest("bad_request_body", "select[" + i + "] must be a field name (a string)");
            }
            out.add(n.get(i).textValue());
        }
        return out;
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** {@code length} bytes of the artifact from {@code first}, copied through one buffer as the client reads. */
    private record FileSlice(ExportArtifact file, long first, long length) implements HttpReply.StreamedBody {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ);
                 InputStream in = Channels.newInputStream(ch.position(first))) {
                byte[] buf = new byte[COPY_BUFFER];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("the artifact ended " + left + " bytes early");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }
}
