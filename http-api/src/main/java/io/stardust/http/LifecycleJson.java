package io.stardust.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.FieldLifecycleChange;
import io.stardust.LifecycleCheckpoint;
import io.stardust.engine.json.Json;
import java.time.LocalDateTime;
import java.util.List;

/** The JSON shapes of lifecycle operations and their progress (the engine's checkpoints). */
public final class LifecycleJson {
    private LifecycleJson() {
    }

    static ObjectNode checkpoints(List<LifecycleCheckpoint> list) {
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("checkpoints");
        list.forEach(c -> arr.add(checkpoint(c)));
        return root;
    }

    /** One lifecycle checkpoint as HTTP and {@code lifecycle:status --json} show it. */
    public static ObjectNode checkpoint(LifecycleCheckpoint c) {
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
        return o;
    }

    static ObjectNode change(FieldLifecycleChange c) {
        ObjectNode o = Json.object();
        o.put("fieldId", c.fieldId());
        o.put("type", c.newDeclaredType() == null ? null : c.newDeclaredType().wireName());
        o.put("previousType", c.oldDeclaredType() == null ? null : c.oldDeclaredType().wireName());
        o.put("filterable", c.newIsFilterable());
        o.put("backfillRequired", c.backfillRequired());
        o.put("deferredAssignment", c.deferredAssignment());
        return o;
    }

    private static String text(LocalDateTime t) {
        return t == null ? null : t.toString();
    }
}
