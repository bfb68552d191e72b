package io.stardust;

import java.util.Map;

/**
 * A filter targets a filterable field whose slot is backfilling, tombstoned or not yet assigned (unmapped), so it
 * cannot be filtered now; retry once the slot is ready. Upstream declared this but raised
 * {@link FieldNotFilterableException} instead (quirk Q1); we raise this, and since it extends that exception, code
 * written against upstream still catches it. Error code {@code field_not_filterable} (the taxonomy is closed).
 */
public class FieldNotIndexedException extends FieldNotFilterableException {
    public FieldNotIndexedException(String jsonPointer, String message, Map<String, ?> details) {
        super(jsonPointer, message, details);
    }

    public FieldNotIndexedException(String message) {
        this("", message, Map.of());
    }
}
