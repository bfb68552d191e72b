package io.stardust;

import java.util.Map;

/** A registered model and the ids of its fields by name. */
public record ModelDefinition(int modelId, Map<String, Long> fieldIds) {
    public ModelDefinition {
        fieldIds = Map.copyOf(fieldIds);
    }

    public long fieldId(String name) {
        Long id = fieldIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("model " + modelId + " has no field '" + name + "' in this definition");
        }
        return id;
    }
}
