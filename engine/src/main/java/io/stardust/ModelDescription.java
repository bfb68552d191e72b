package io.stardust;

import java.util.List;
import java.util.Optional;

/** A model and its fields, in registration order. */
public record ModelDescription(int modelId, long tenantId, String name, List<FieldDescription> fields) {
    public ModelDescription {
        fields = List.copyOf(fields);
    }

    public Optional<FieldDescription> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    public List<FieldDescription> indexedFields() {
        return fields.stream().filter(FieldDescription::isIndexed).toList();
    }
}
