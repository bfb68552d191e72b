package io.stardust.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.FieldDescription;
import io.stardust.ModelDescription;
import io.stardust.ModelSummary;
import io.stardust.engine.json.Json;
import java.util.List;

/** The JSON shapes of models, shared by the HTTP API and {@code model:describe --json}. */
public final class ModelJson {
    private ModelJson() {
    }

    /** A model with its fields, type, filterability, slot and slot state. */
    public static ObjectNode describe(ModelDescription d) {
        ObjectNode root = Json.object();
        root.put("tenantId", d.tenantId());
        root.put("modelId", d.modelId());
        root.put("name", d.name());
        ArrayNode fields = root.putArray("fields");
        for (FieldDescription f : d.fields()) {
            ObjectNode o = fields.addObject();
            o.put("fieldId", f.fieldId());
            o.put("name", f.name());
            o.put("type", f.declaredType().wireName());
            o.put("filterable", f.isFilterable());
            o.put("indexed", f.isIndexed());
            o.put("slotStatus", f.slotStatus() == null ? null : f.slotStatus().wireName());
            if (f.pageId() == null) {
                o.putNull("pageId");
            } else {
                o.put("pageId", f.pageId());
            }
            o.put("slotColumn", f.slotColumn());
        }
        return root;
    }

    /** A tenant's models: {@code {"models":[{"modelId","name"}...]}}. */
    public static ObjectNode list(List<ModelSummary> models) {
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("models");
        for (ModelSummary m : models) {
            arr.addObject().put("modelId", m.modelId()).put("name", m.name());
        }
        return root;
    }
}
