package io.stardust.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one JSON configuration: what every reader (engine, filters, gateway, CLI, HTTP) accepts and refuses. */
class JsonInputRulesTest {

    private static String refusal(String text) {
        return assertThatThrownBy(() -> Json.parse(text)).as(text).isInstanceOf(JsonProcessingException.class)
                .actual().getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}{\"b\":2}", "{\"name\":\"first\"} {\"name\":\"second\"}", "{}xyz", "{} x",
            "[1] [2]", "5 6", "{}\n{}", "\"a\" \"b\"", "{} ,"})
    void anythingAfterTheFirstValueIsRefusedNamingWhereItStarts(String text) {
        assertThat(refusal(text)).contains("unexpected content after the JSON value at character");
    }

    @Test
    void trailingWhitespaceIsNotContent() throws Exception {
        assertThat(Json.parse("{\"a\":1} \n\t\r ").get("a").intValue()).isEqualTo(1);
    }

    @Test
    void theMapperItselfRefusesTrailingContentAndDuplicateKeysSoDirectUsersInheritTheRules() {
        assertThatThrownBy(() -> Json.mapper().readTree("{}{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected content after the JSON value");
        assertThatThrownBy(() -> Json.mapper().readTree("{\"a\":1,\"a\":2}"))
                .hasMessageContaining("Duplicate field 'a'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"tenantId\":1,\"fields\":{},\"tenantId\":2}", "{\"f\":{\"x\":1,\"x\":1}}",
            "[{\"k\":null,\"k\":null}]"})
    void duplicateKeysAreRefusedAtAnyDepthInsteadOfTheLastOneWinning(String text) {
        assertThat(refusal(text)).contains("Duplicate field");
    }

    @Test
    void bytesMustBeWellFormedUtf8() throws Exception {
        byte[] overlongNul = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] truncated = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThatThrownBy(() -> Json.parse(overlongNul)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("invalid UTF-8 at byte 7 (0xC0)");
        assertThatThrownBy(() -> Json.parse(encodedSurrogate)).hasMessageContaining("invalid UTF-8 at byte 7");
        assertThatThrownBy(() -> Json.parse(truncated)).hasMessageContaining("invalid UTF-8 at byte 7");
        assertThatThrownBy(() -> Json.parse(bom)).isInstanceOf(JsonProcessingException.class);
        assertThat(Json.parse("{\"a\":\"caf\u00e9 \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8)).get("a").textValue())
                .isEqualTo("caf\u00e9 \ud83d\ude00");
    }

    @Test
    void numbersOfAtMostAThousandCharactersAreReadLongerOnesAreRefusedWithTheirPlace() throws Exception {
        assertThat(Json.parse("{\"a\":[" + "7".repeat(1000) + "]}").at("/a/0").isBigInteger()).isTrue();
        assertThat(Json.parse("0." + "3".repeat(998)).doubleValue()).isEqualTo(0.3333333333333333);
        assertThat(refusal("{\"a\":[" + "7".repeat(1001) + "]}"))
                .contains("number of 1001 characters at /a/0: at most 1000 are allowed");
        assertThat(refusal("-" + "1".repeat(1000))).contains("number of 1001 characters at the root");
    }

    @Test
    void floatsADoubleCannotHoldAreKeptExactSoWritersCanRefuseThemInsteadOfStoringInfinityOrZero() throws Exception {
        JsonNode n = Json.parse("{\"huge\":1e400,\"tiny\":1e-400,\"negHuge\":-2.5E+999,\"zero\":0e-999,"
                + "\"negZero\":-0.0,\"max\":1.7976931348623157e308,\"min\":4.9e-324,\"plain\":1.5}");
        assertThat(n.get("huge").isBigDecimal()).isTrue();
        assertThat(n.get("huge").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(n.get("tiny").decimalValue()).isEqualByComparingTo("1e-400");
        assertThat(Json.fitsDouble(n.get("huge"))).isFalse();
        assertThat(Json.fitsDouble(n.get("tiny"))).isFalse();
        assertThat(Json.fitsDouble(n.get("negHuge"))).isFalse();
        for (String fits : new String[] {"zero", "negZero", "max", "min", "plain"}) {
            assertThat(n.get(fits).isDouble()).as(fits).isTrue();
            assertThat(Json.fitsDouble(n.get(fits))).as(fits).isTrue();
        }
        assertThat(Double.doubleToRawLongBits(n.get("negZero").doubleValue())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Json.fitsDouble(Json.parse("1" + "0".repeat(400)))).as("an integer beyond any double").isFalse();
        assertThat(Json.fitsDouble(Json.mapper().valueToTree(Double.NaN))).isFalse();
        assertThat(refusal("1e99999999999999")).contains("out of every numeric range");
        assertThat(refusal("NaN")).isNotEmpty();
    }

    @Test
    void nestingDeeperThan512IsRefused() throws Exception {
        assertThat(Json.parse("[".repeat(512) + "]".repeat(512)).isArray()).isTrue();
        assertThat(refusal("[".repeat(513) + "]".repeat(513))).contains("nesting depth");
    }

    @Test
    void copiesOfTheMapperKeepTheRules() {
        assertThatThrownBy(() -> Json.mapper().copy().readTree("{}{}")).hasMessageContaining("unexpected content");
    }
}
