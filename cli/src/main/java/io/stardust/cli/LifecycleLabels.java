package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.LifecycleCheckpoint;
import io.stardust.engine.json.Json;

/** How {@code lifecycle:status} and {@code model:describe} name a checkpoint's state, as text and as JSON. */
final class LifecycleLabels {
    private LifecycleLabels() {
    }

    /** e.g. {@code retyping string->int 40%}, {@code renamed from 'old', rewriting 40%}, {@code deleting: failed (...)}. */
    static String label(LifecycleCheckpoint c) {
        String doing = switch (c.operation()) {
            case RETYPE -> "retyping " + c.sourceType().wireName() + "->" + c.targetType().wireName();
            case BACKFILL -> "backfilling (promotion or relocation)";
            case RENAME -> c.previousName() == null ? "renamed" : "renamed from '" + c.previousName() + "', rewriting";
            case DELETE_FIELD, DELETE_MODEL -> "deleting";
        };
        return switch (c.status()) {
            case "running" -> doing + " " + c.percent() + "%";
            case "failed" -> doing + ": failed at " + c.percent() + "% (" + c.lastError() + ")";
            default -> doing + ": " + c.status();
        };
    }

    static ObjectNode json(LifecycleCheckpoint c) {
        ObjectNode o = Json.object();
        o.put("job", c.jobName());
        o.put("operation", c.operation().wireName());
        o.put("status", c.status());
        o.put("modelId", c.modelId());
        o.put("model", c.modelName());
        if (c.fieldId() == null) {
            o.putNull("fieldId");
        } else {
            o.put("fieldId", c.fieldId());
        }
        o.put("field", c.fieldName());
        o.put("previousName", c.previousName());
        o.put("sourceType", c.sourceType() == null ? null : c.sourceType().wireName());
        o.put("targetType", c.targetType() == null ? null : c.targetType().wireName());
        o.put("cursor", c.lastProcessedId());
        o.put("rowsProcessed", c.rowsProcessed());
        o.put("coercionNulls", c.coercionNulls());
        o.put("entriesDone", c.entriesDone());
        o.put("entriesTotal", c.entriesTotal());
        o.put("percent", c.percent());
        o.put("lastError", c.lastError());
        o.put("startedAt", text(c.startedAt()));
        o.put("updatedAt", text(c.updatedAt()));
        o.put("completedAt", text(c.completedAt()));
        o.put("label", label(c));
        return o;
    }

    private static String text(java.time.LocalDateTime t) {
        return t == null ? null : t + "Z";
    }
}
