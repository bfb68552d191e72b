package io.stardust.filter;

import java.util.Objects;

/**
 * The field a leaf filters on, by name. Wire-format leaves carry a model name; typed leaves built with
 * {@link #local(String)} carry an empty one, meaning "the model of the request".
 */
public record FieldRef(String modelName, String fieldName) {
    public FieldRef {
        Objects.requireNonNull(modelName, "modelName (use \"\" for the request's model)");
        Objects.requireNonNull(fieldName, "fieldName");
        if (fieldName.isEmpty()) {
            throw new IllegalArgumentException("fieldName must not be empty");
        }
    }

    /** A reference to a field of whatever model the request targets. */
    public static FieldRef local(String fieldName) {
        return new FieldRef("", fieldName);
    }

    /** True when no model was named, so there is nothing to check against the request's model. */
    public boolean isLocal() {
        return modelName.isEmpty();
    }
}
