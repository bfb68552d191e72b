package io.stardust;

import io.stardust.filter.ValidationErrorCode;
import java.util.Map;

/**
 * A filter names a field the model does not have, or (a divergence from upstream, which ignored it) names another
 * model than the request's in {@code field.model}. Error code {@code field_unknown}; the pointer names the leaf's
 * {@code /field/name} or {@code /field/model} when the filter came from the wire format.
 */
public class UnknownFieldException extends QueryFilterValidationException {
    public UnknownFieldException(String jsonPointer, String message, Map<String, ?> details) {
        super(ValidationErrorCode.FIELD_UNKNOWN, jsonPointer, message, details);
    }

    public UnknownFieldException(String message) {
        this("", message, Map.of());
    }
}
