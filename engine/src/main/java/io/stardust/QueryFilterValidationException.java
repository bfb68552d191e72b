package io.stardust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import io.stardust.filter.ValidationErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A filter was rejected, by the wire decoder or by pre-flight. Carries a code of the closed taxonomy
 * ({@link ValidationErrorCode}), an RFC 6901 pointer into the wire document ({@code ""} is the root, also used when
 * the filter was built in code and has no positions) and discriminator-specific details in a stable key order,
 * e.g. {@code {observed, limit}} or {@code {expected, received}}.
 */
public class QueryFilterValidationException extends StarDustException {
    private final ValidationErrorCode errorCode;
    private final String jsonPointer;
    private final Map<String, Object> details;

    public QueryFilterValidationException(ValidationErrorCode errorCode, String jsonPointer, String message,
                                          Map<String, ?> details) {
        super(message);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.jsonPointer = Objects.requireNonNull(jsonPointer, "jsonPointer");
        // Details may hold nulls (e.g. "received": null), which Map.copyOf would refuse.
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
    }

    public QueryFilterValidationException(ValidationErrorCode errorCode, String jsonPointer, String message) {
        this(errorCode, jsonPointer, message, Map.of());
    }

    public ValidationErrorCode errorCode() {
        return errorCode;
    }

    public String jsonPointer() {
        return jsonPointer;
    }

    /** Unmodifiable, in insertion order. Values are plain Java/JSON values (String, Number, Boolean, null, ...). */
    public Map<String, Object> details() {
        return details;
    }

    /** {@code {"valid":false,"errorCode":..,"pointer":..,"details":{..}}}, as {@code filter:check} prints it. */
    public ObjectNode toJsonNode() {
        ObjectNode out = Json.object();
        out.put("valid", false);
        out.put("errorCode", errorCode.code());
        out.put("pointer", jsonPointer);
        out.set("details", Json.mapper().valueToTree(details));
        return out;
    }

    public String toJson() {
        return Json.write(toJsonNode());
    }
}
