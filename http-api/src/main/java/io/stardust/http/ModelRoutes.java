package io.stardust.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.DeclaredType;
import io.stardust.FieldDescription;
import io.stardust.FieldLifecycleChange;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.ModelDescription;
import io.stardust.ModelSummary;
import io.stardust.StarDust;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.engine.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Models: define, describe, and the lifecycle operations (rename and delete of models; retype, promote, demote,
 * rename and delete of fields) with their progress. An operation that a running Reconciler finishes in the
 * background answers 202; its progress is {@code GET .../lifecycle}.
 */
final class ModelRoutes {
    private final StarDust engine;
    private final HttpConfig.Limits limits;

    ModelRoutes(StarDust engine, HttpConfig.Limits limits) {
        this.engine = engine;
        this.limits = limits;
    }

    /** The path's model ({@code {model}}, the second parameter) for the path's tenant, else 404. */
    static ModelSummary model(StarDust engine, ApiHandler.Call c) {
        long tenant = c.tenant();
        String name = c.param(1);
        return engine.findModel(tenant, name).orElseThrow(() -> modelNotFound(tenant, name));
    }

    ModelSummary model(ApiHandler.Call c) {
        return model(engine, c);
    }

    ModelDescription describe(ApiHandler.Call c) {
        long tenant = c.tenant();
        ModelSummary m = model(c);
        return engine.describeModel(tenant, m.modelId()).orElseThrow(() -> modelNotFound(tenant, m.name()));
    }

    /**
     * {@code {"name": ..., "fields": [{"name", "type", "filterable"}], "provision": false}}; get-or-create as
     * {@code model:define}, so the same definition twice is a no-op. {@code provision} also gives every filterable
     * field an indexed slot at once.
     */
    HttpReply define(ApiHandler.Call c) {
        long tenant = c.tenant();
        ObjectNode body = JsonBodies.object(c.http().body(limits.maxBodyBytes()), "request body");
        String name = JsonBodies.text(body, "name");
        JsonNode fields = body.get("fields");
        if (fields == null || !fields.isArray()) {
            throw HttpError.badRequest("bad_request_body", "'fields' must be an array of {\"name\",\"type\",\"filterable\"}");
        }
        List<FieldSpec> specs = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            specs.add(fieldSpec(fields.get(i), "fields[" + i + "]"));
        }
        JsonNode provision = body.get("provision");
        if (provision != null && !provision.isBoolean()) {
            throw HttpError.badRequest("bad_request_body", "'provision' must be true or false");
        }
        ModelDefinition def = engine.defineModel(tenant, name, specs);
        if (provision != null && provision.booleanValue()) {
            engine.ensureSlots(tenant, def.modelId());
        }
        return ApiHandler.Replies.ok(ModelJson.describe(engine.describeModel(tenant, def.modelId())
                .orElseThrow(() -> modelNotFound(tenant, name))));
    }

    private static FieldSpec fieldSpec(JsonNode f, String where) {
        if (f == null || !f.isObject()) {
            throw HttpError.badRequest("bad_request_body", where + " must be an object {\"name\",\"type\",\"filterable\"}");
        }
        JsonNode name = f.get("name");
        JsonNode type = f.get("type");
        JsonNode filterable = f.get("filterable");
        if (name == null || !name.isTextual()) {
            throw HttpError.badRequest("bad_request_body", where + ".name must be a string");
        }
        if (filterable != null && !filterable.isBoolean()) {
            throw HttpError.badRequest("bad_request_body", where + ".filterable must be true or false");
        }
        return new FieldSpec(name.asText(), declaredType(type, where + ".type"), filterable != null && filterable.booleanValue());
    }

    private static DeclaredType declaredType(JsonNode type, String where) {
        try {
            return DeclaredType.parse(type == null || !type.isTextual() ? null : type.asText());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("bad_request_body", where + ": " + e.getMessage());
        }
    }

    HttpReply delete(ApiHandler.Call c) {
        long tenant = c.tenant();
        ModelSummary m = model(c);
        if (!engine.deleteModel(tenant, m.modelId())) {
            throw modelNotFound(tenant, m.name());
        }
        return ApiHandler.Replies.of(202, Json.object().put("modelId", m.modelId()).put("deleting", true));
    }

    /** {@code {"name": new name}}; complete on return. */
    HttpReply rename(ApiHandler.Call c) {
        long tenant = c.tenant();
        ModelSummary m = model(c);
        String to = JsonBodies.text(JsonBodies.object(c.http().body(limits.maxBodyBytes()), "request body"), "name");
        engine.renameModel(tenant, m.modelId(), to);
        return ApiHandler.Replies.ok(ModelJson.describe(engine.describeModel(tenant, m.modelId())
                .orElseThrow(() -> modelNotFound(tenant, to))));
    }

    HttpReply lifecycle(ApiHandler.Call c) {
        return ApiHandler.Replies.ok(LifecycleJson.checkpoints(engine.lifecycleStatus(c.tenant(), model(c).modelId())));
    }

    /** Retype ({@code {"type"}}), promote, demote, rename ({@code {"name"}}) or delete the path's field. */
    HttpReply fieldOperation(ApiHandler.Call c) {
        long tenant = c.tenant();
        ModelDescription d = describe(c);
        String fieldName = c.param(2);
        FieldDescription f = d.field(fieldName).orElseThrow(() -> new HttpError(404, "field_not_found",
                "model '" + d.name() + "' has no field '" + fieldName + "'"));
        return switch (c.match().route()) {
            case FIELD_RETYPE -> change(engine.retypeField(tenant, f.fieldId(), declaredType(
                    JsonBodies.object(c.http().body(limits.maxBodyBytes()), "request body").get("type"), "type")));
            case FIELD_PROMOTE -> change(engine.promoteFieldToFilterable(tenant, f.fieldId()));
            case FIELD_DEMOTE -> change(engine.demoteFieldFromFilterable(tenant, f.fieldId()));
            case FIELD_RENAME -> {
                String to = JsonBodies.text(JsonBodies.object(c.http().body(limits.maxBodyBytes()), "request body"), "name");
                engine.renameField(tenant, f.fieldId(), to);
                yield ApiHandler.Replies.of(202, Json.object().put("fieldId", f.fieldId()).put("name", to.trim()));
            }
            case FIELD_DELETE -> {
                if (!engine.deleteField(tenant, f.fieldId())) {
                    throw new HttpError(404, "field_not_found", "field '" + fieldName + "' is already being deleted");
                }
                yield ApiHandler.Replies.of(202, Json.object().put("fieldId", f.fieldId()).put("deleting", true));
            }
            default -> throw new IllegalStateException("not a field operation: " + c.match().route());
        };
    }

    /** 202 while a backfill has to run, 200 when the change is complete on return. */
    private static HttpReply change(FieldLifecycleChange change) {
        return ApiHandler.Replies.of(change.backfillRequired() ? 202 : 200, LifecycleJson.change(change));
    }

    private static HttpError modelNotFound(long tenant, String name) {
        return new HttpError(404, "model_not_found", "tenant " + tenant + " has no model named '" + name + "'");
    }
}
