package io.stardust;

import io.stardust.filter.ValidationErrorCode;
import java.util.Map;

/**
 * A filter targets a field the search driver cannot filter on: for the MySQL driver, a field that is not declared
 * filterable. Error code {@code field_not_filterable}. A filterable field whose slot is not usable right now raises
 * the subclass {@link FieldNotIndexedException}.
 */
public class FieldNotFilterableException extends QueryFilterValidationException {
    public FieldNotFilterableException(String jsonPointer, String message, Map<String, ?> details) {
        super(ValidationErrorCode.FIELD_NOT_FILTERABLE, jsonPointer, message, details);
    }

    public FieldNotFilterableException(String message) {
        this("", message, Map.of());
    }
}
