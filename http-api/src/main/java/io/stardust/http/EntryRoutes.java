package io.stardust.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryPayload;
import io.stardust.EntryWriteResult;
import io.stardust.StarDust;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.engine.json.Json;
import java.io.InputStream;
import java.util.HexFormat;

/**
 * Entry writes, each through the engine's write path (so each emits its outbox event): create, replace, delete,
 * keyed upsert and delete, and NDJSON bulk. A body is the entry's fields object, as {@code entry:write} reads it.
 */
final class EntryRoutes {
    private final StarDust engine;
    private final HttpConfig.Limits limits;
    private final Idempotency idempotency;
    private final BulkWrites bulk;

    EntryRoutes(StarDust engine, HttpConfig.Limits limits, Idempotency idempotency, BulkWrites bulk) {
        this.engine = engine;
        this.limits = limits;
        this.idempotency = idempotency;
        this.bulk = bulk;
    }

    HttpReply create(ApiHandler.Call c) {
        long tenant = c.tenant();
        int modelId = ModelRoutes.model(engine, c).modelId();
        byte[] body = c.http().body(limits.maxBodyBytes());
        String fingerprint = "create\n" + tenant + "\n" + modelId + "\n"
                + HexFormat.of().formatHex(sha256(body));
        return idempotency.run(c.http(), c.key(), fingerprint, () -> {
            ObjectNode fields = JsonBodies.object(body, "request body");
            EntryWriteResult r = engine.write(new EntryPayload(tenant, modelId, fields));
            return ApiHandler.Replies.of(201, written(r.entryId(), r))
                    .withHeader("Location", "/v1/tenants/" + tenant + "/entries/" + r.entryId());
        });
    }

    HttpReply replace(ApiHandler.Call c) {
        long tenant = c.tenant();
        long id = NumericParams.entryId(c.param(1));
        ObjectNode fields = JsonBodies.object(c.http().body(limits.maxBodyBytes()), "request body");
        return ApiHandler.Replies.ok(written(id, engine.updateEntry(tenant, id, fields)));
    }

    HttpReply delete(ApiHandler.Call c) {
        long tenant = c.tenant();
        long id = NumericParams.entryId(c.param(1));
        if (!engine.deleteEntry(tenant, id)) {
            throw new HttpError(404, "not_found", "no entry " + id + " for tenant " + tenant);
        }
        return ApiHandler.Replies.ok(Json.object().put("id", id).put("deleted", true));
    }

    HttpReply upsertByKey(ApiHandler.Call c) {
        long tenant = c.tenant();
        int modelId = ModelRoutes.model(engine, c).modelId();
        String key = c.param(2);
        ObjectNode fields = JsonBodies.object(c.http().body(limits.maxBodyBytes()), "request body");
        EntryWriteResult r = engine.upsertByKey(tenant, modelId, key, fields);
        return ApiHandler.Replies.ok(written(r.entryId(), r).put("key", key));
    }

    HttpReply deleteByKey(ApiHandler.Call c) {
        long tenant = c.tenant();
        int modelId = ModelRoutes.model(engine, c).modelId();
        String key = c.param(2);
        if (!engine.deleteByKey(tenant, modelId, key)) {
            throw new HttpError(404, "not_found", "no entry with key '" + key + "' in this model");
        }
        return ApiHandler.Replies.ok(Json.object().put("key", key).put("deleted", true));
    }

    /**
     * The body is streamed, so an {@code Idempotency-Key} identifies the route, tenant and model only: a key
     * reused for another body on the same model replays the first answer.
     */
    HttpReply bulk(ApiHandler.Call c) {
        long tenant = c.tenant();
        int modelId = ModelRoutes.model(engine, c).modelId();
        return idempotency.run(c.http(), c.key(), "bulk\n" + tenant + "\n" + modelId, () -> {
            try (InputStream in = c.http().bodyStream(limits.bulkMaxBytes())) {
                return ApiHandler.Replies.ok(bulk.write(tenant, modelId, in));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static ObjectNode written(long id, EntryWriteResult r) {
        return Json.object().put("id", id).put("enqueuedForBackfill", r.enqueuedForBackfill());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
