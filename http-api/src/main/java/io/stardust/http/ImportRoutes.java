package io.stardust.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.engine.json.Json;
import io.stardust.http.imports.FileImports;
import io.stardust.http.imports.ImportJson;
import java.util.List;
import org.apache.kafka.common.KafkaException;

/**
 * File imports of the key's tenant (scope {@code read}), read from the streams app's topics by the same reader as
 * {@code import:status}. An import is the tenant's when the tenant is known to own every row of it (see
 * {@link FileImports.View#tenantId()}); other imports are nobody's here. Without {@code kafkaBootstrap}, or when the
 * broker does not answer, 503 {@code imports_unavailable}.
 */
final class ImportRoutes {
    private final FileImports imports;

    /** @param imports null when serve has no {@code kafkaBootstrap} */
    ImportRoutes(FileImports imports) {
        this.imports = imports;
    }

    HttpReply list(ApiHandler.Call c) {
        ObjectNode o = Json.object();
        ArrayNode out = o.putArray("imports");
        tenantImports(c.tenant()).forEach(v -> out.add(json(v)));
        return ApiHandler.Replies.ok(o);
    }

    HttpReply get(ApiHandler.Call c) {
        long tenant = c.tenant();
        try {
            return ApiHandler.Replies.ok(json(FileImports.find(tenantImports(tenant), c.param(1))));
        } catch (FileImports.NotFound e) {
            throw new HttpError(404, "not_found", e.getMessage() + " for tenant " + tenant);
        }
    }

    private List<FileImports.View> tenantImports(long tenant) {
        if (imports == null) {
            throw new HttpError(503, "imports_unavailable", "this server has no kafkaBootstrap, so it cannot read the"
                    + " import topics; set STARDUST_KAFKA_BOOTSTRAP");
        }
        try {
            return imports.all().values().stream().filter(v -> v.tenantId().orElse(0L) == tenant).toList();
        } catch (KafkaException e) {
            throw new HttpError(503, "imports_unavailable", "the import topics cannot be read: " + e.getMessage());
        }
    }

    private static ObjectNode json(FileImports.View v) {
        ObjectNode o = ImportJson.view(v);
        o.put("tenantId", v.tenantId().orElseThrow());
        return o;
    }
}
