package io.stardust.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFilterEncoderTest {
    private static final FieldRef AMOUNT = new FieldRef("invoice", "amount");
    private static final FieldRef STATUS = new FieldRef("invoice", "status");

    @Test
    void writesTheWireShape() {
        FilterNode f = Filters.and(LeafNode.of(STATUS, "in", List.of("paid", "open")),
                Filters.not(LeafNode.of(AMOUNT, "is_null", null)));
        assertThat(Json.write(JsonFilterEncoder.toWireJson(f))).isEqualTo(
                "{\"op\":\"and\",\"args\":[{\"op\":\"in\",\"field\":{\"model\":\"invoice\",\"name\":\"status\"},"
                        + "\"value\":[\"paid\",\"open\"]},{\"op\":\"not\",\"arg\":{\"op\":\"is_null\","
                        + "\"field\":{\"model\":\"invoice\",\"name\":\"amount\"}}}]}");
        assertThat(JsonFilterEncoder.toWireText(null)).isEqualTo("{\"version\":\"1\"}");
    }

    @Test
    void roundTripsThroughTheDecoderKeepingNumberKinds() {
        FilterNode f = Filters.or(
                LeafNode.of(AMOUNT, "eq", 5.0),
                LeafNode.of(AMOUNT, "eq", 5L),
                LeafNode.of(AMOUNT, "gt", Double.POSITIVE_INFINITY),
                LeafNode.of(AMOUNT, "lt", Double.NEGATIVE_INFINITY),
                LeafNode.of(AMOUNT, "between", List.of(-0.0, 1e-7)),
                LeafNode.of(STATUS, "prefix", "a/~\"\\"),
                LeafNode.of(STATUS, "nin", List.of(true, "true", 1L, 1.5)),
                Filters.not(Filters.and(LeafNode.of(STATUS, "is_not_null", null), LeafNode.of(STATUS, "neq", false))));
        FilterNode back = new JsonFilterDecoder().decode(JsonFilterEncoder.toWireText(f));
        assertThat(back).isEqualTo(f);
    }

    @Test
    void extensionOperatorsAreWrittenAsIs() {
        LeafNode fuzzy = LeafNode.of(STATUS, "fuzzy", "paied");
        assertThat(Json.write(JsonFilterEncoder.toWireJson(fuzzy)))
                .isEqualTo("{\"op\":\"fuzzy\",\"field\":{\"model\":\"invoice\",\"name\":\"status\"},\"value\":\"paied\"}");
    }
}
