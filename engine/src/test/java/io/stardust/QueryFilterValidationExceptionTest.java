package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.filter.ValidationErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryFilterValidationExceptionTest {

    @Test
    void toJsonHasTheFilterCheckShapeWithDetailsInOrder() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("expected", "int");
        details.put("received", "string");
        QueryFilterValidationException e = new QueryFilterValidationException(ValidationErrorCode.VALUE_TYPE_MISMATCH,
                "/filter/args/1/value", "employees expects an int", details);
        assertThat(e).isInstanceOf(StarDustException.class);
        assertThat(e.getMessage()).isEqualTo("employees expects an int");
        assertThat(e.toJson()).isEqualTo("{\"valid\":false,\"errorCode\":\"value_type_mismatch\","
                + "\"pointer\":\"/filter/args/1/value\",\"details\":{\"expected\":\"int\",\"received\":\"string\"}}");
    }

    @Test
    void detailsAreACopyAndMayHoldNull() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("received", null);
        QueryFilterValidationException e = new QueryFilterValidationException(ValidationErrorCode.VERSION_UNSUPPORTED,
                "/version", "unsupported", details);
        details.put("later", 1);
        assertThat(e.details()).containsOnlyKeys("received");
        assertThat(e.toJson()).endsWith("\"details\":{\"received\":null}}");
        assertThat(new QueryFilterValidationException(ValidationErrorCode.ENVELOPE_MALFORMED, "", "x").toJson())
                .isEqualTo("{\"valid\":false,\"errorCode\":\"envelope_malformed\",\"pointer\":\"\",\"details\":{}}");
    }
}
