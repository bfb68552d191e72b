package io.stardust.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stardust.QueryFilterValidationException;
import io.stardust.StarDustConfig.FilterLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JsonFilterDecoderTest {
    private static final String F = "{\"model\":\"company\",\"name\":\"employees\"}";
    private static final FieldRef EMPLOYEES = new FieldRef("company", "employees");
    private final JsonFilterDecoder decoder = new JsonFilterDecoder();

    private static String leaf(String op, String valueJson) {
        return "{\"op\":\"" + op + "\",\"field\":" + F + (valueJson == null ? "" : ",\"value\":" + valueJson) + "}";
    }

    private static String env(String node) {
        return "{\"version\":\"1\",\"filter\":" + node + "}";
    }

    private QueryFilterValidationException reject(String body) {
        return reject(decoder, body);
    }

    private static QueryFilterValidationException reject(JsonFilterDecoder d, String body) {
        QueryFilterValidationException e = catchThrowableOfType(QueryFilterValidationException.class, () -> d.decode(body));
        assertThat(e).as("expected a rejection of %s", body.length() > 200 ? body.substring(0, 200) + "…" : body).isNotNull();
        return e;
    }

    private static void assertRejection(QueryFilterValidationException e, String code, String pointer) {
        assertThat(e.errorCode().code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.jsonPointer()).as(e.getMessage()).isEqualTo(pointer);
    }

    @Nested
    class HappyPaths {
        @Test
        void envelopeWithoutFilterIsMatchAll() {
            assertThat(decoder.decode("{}")).isNull();
            assertThat(decoder.decode("{\"version\":\"1\"}")).isNull();
            assertThat(decoder.decode("  {\"other\": [1, 2]}")).isNull();
        }

        @Test
        void eqLeafEqualsTheTypedForm() {
            FilterNode f = decoder.decode(env(leaf("gt", "100")));
            assertThat(f).isEqualTo(LeafNode.of(EMPLOYEES, "gt", 100L));
            LeafNode leaf = (LeafNode) f;
            assertThat(leaf.value()).isEqualTo(new FilterValue.IntegerValue(100));
            assertThat(leaf.pointer()).isEqualTo("/filter");
            assertThat(leaf.pointerTo("/value")).isEqualTo("/filter/value");
        }

        @Test
        void betweenKeepsLowThenHigh() {
            LeafNode leaf = (LeafNode) decoder.decode(env(leaf("between", "[\"2024-01-01T00:00:00Z\", 7.5]")));
            assertThat(leaf.value()).isEqualTo(new FilterValue.ListValue(List.of(
                    new FilterValue.StringValue("2024-01-01T00:00:00Z"), new FilterValue.FloatValue(7.5))));
        }

        @Test
        void presenceLeafHasNoValue() {
            LeafNode leaf = (LeafNode) decoder.decode(env(leaf("is_not_null", null)));
            assertThat(leaf.operator()).isEqualTo("is_not_null");
            assertThat(leaf.value()).isNull();
        }

        @Test
        void compositesNestAndLeavesRememberTheirPointers() {
            String body = env("{\"op\":\"and\",\"args\":[" + leaf("eq", "\"paid\"") + ",{\"op\":\"or\",\"args\":["
                    + leaf("is_null", null) + ",{\"op\":\"not\",\"arg\":" + leaf("prefix", "\"ab\"") + "}]}]}");
            FilterNode f = decoder.decode(body);
            assertThat(f).isEqualTo(Filters.and(
                    LeafNode.of(EMPLOYEES, "eq", "paid"),
                    Filters.or(LeafNode.of(EMPLOYEES, "is_null", null),
                            Filters.not(LeafNode.of(EMPLOYEES, "prefix", "ab")))));
            assertThat(f.nodeCount()).isEqualTo(6);
            assertThat(f.leaves()).extracting(LeafNode::pointer)
                    .containsExactly("/filter/args/0", "/filter/args/1/args/0", "/filter/args/1/args/1/arg");
        }

        @Test
        void unknownKeysAreIgnored() {
            FilterNode f = decoder.decode("{\"filter\":" + "{\"op\":\"eq\",\"field\":{\"model\":\"company\",\"name\":"
                    + "\"employees\",\"x\":1},\"value\":1,\"comment\":\"?\"},\"trace\":true}");
            assertThat(f).isEqualTo(LeafNode.of(EMPLOYEES, "eq", 1L));
        }

        @Test
        void inDeduplicatesByTypeAndValueKeepingFirstOccurrences() {
            LeafNode leaf = (LeafNode) decoder.decode(env(leaf("in", "[3, 1, 1.0, \"1\", true, 3, \"1\", false, 1.0, 1]")));
            assertThat(((FilterValue.ListValue) leaf.value()).values()).containsExactly(
                    new FilterValue.IntegerValue(3), new FilterValue.IntegerValue(1), new FilterValue.FloatValue(1.0),
                    new FilterValue.StringValue("1"), new FilterValue.BooleanValue(true),
                    new FilterValue.BooleanValue(false));
        }

        @Test
        void ninDeduplicatesToo_betweenDoesNot() {
            LeafNode nin = (LeafNode) decoder.decode(env(leaf("nin", "[\"a\",\"a\"]")));
            assertThat(((FilterValue.ListValue) nin.value()).values()).hasSize(1);
            LeafNode between = (LeafNode) decoder.decode(env(leaf("between", "[2,2]")));
            assertThat(((FilterValue.ListValue) between.value()).values()).hasSize(2);
        }
    }

    @Nested
    class NumberClassification {
        private FilterValue value(String json) {
            return ((LeafNode) decoder.decode(env(leaf("eq", json)))).value();
        }

        @Test
        void integersWithinInt64StayIntegers() {
            assertThat(value("5")).isEqualTo(new FilterValue.IntegerValue(5));
            assertThat(value("-0")).isEqualTo(new FilterValue.IntegerValue(0));
            assertThat(value("9223372036854775807")).isEqualTo(new FilterValue.IntegerValue(Long.MAX_VALUE));
            assertThat(value("-9223372036854775808")).isEqualTo(new FilterValue.IntegerValue(Long.MIN_VALUE));
        }

        @Test
        void fractionsExponentsAndOutOfRangeIntegersAreFloats() {
            assertThat(value("5.0")).isEqualTo(new FilterValue.FloatValue(5.0));
            assertThat(value("5e0")).isEqualTo(new FilterValue.FloatValue(5.0));
            assertThat(value("9223372036854775808")).isEqualTo(new FilterValue.FloatValue(9.223372036854775808e18));
            assertThat(value("-0.0")).isEqualTo(new FilterValue.FloatValue(-0.0));
            assertThat(value("1e400")).isEqualTo(new FilterValue.FloatValue(Double.POSITIVE_INFINITY));
        }

        @Test
        void aThousandCharacterIntegerIsAFloatAndOneMoreCharacterIsMalformedJson() {
            assertThat(value("1" + "0".repeat(999))).isEqualTo(new FilterValue.FloatValue(Double.POSITIVE_INFINITY));
            QueryFilterValidationException e = reject(env(leaf("eq", "1" + "0".repeat(1000))));
            assertRejection(e, "envelope_malformed", "");
            assertThat(e.getMessage()).contains("1001 characters", "/filter/value", "at most 1000");
        }

        @Test
        void aNonZeroNumberTooSmallForADoubleIsOutOfBoundsInsteadOfMatchingZero() {
            QueryFilterValidationException e = reject(env(leaf("eq", "1e-400")));
            assertRejection(e, "value_out_of_bounds", "/filter/value");
            assertRejection(reject(env(leaf("in", "[1, -2.5e-999]"))), "value_out_of_bounds", "/filter/value/1");
            assertThat(value("0e-400")).isEqualTo(new FilterValue.FloatValue(0.0));
            assertThat(value("4.9e-324")).isEqualTo(new FilterValue.FloatValue(Double.MIN_VALUE));
        }
    }

    @Nested
    class EveryDecoderCode {
        @Test
        void envelopeMalformed() {
            assertRejection(reject(""), "envelope_malformed", "");
            assertRejection(reject("[{\"filter\":{}}]"), "envelope_malformed", "");
            assertRejection(reject("{\"filter\":"), "envelope_malformed", "");
            assertRejection(reject("{}{}"), "envelope_malformed", "");
            assertRejection(reject("{} x"), "envelope_malformed", "");
            assertRejection(reject("{\"version\":\"1\",\"version\":\"2\"}"), "envelope_malformed", "");
            assertRejection(reject("\uFEFF{}"), "envelope_malformed", "");
            assertRejection(reject(env(leaf("eq", "Infinity"))), "envelope_malformed", "");
            assertRejection(reject("{\"x\":" + "[".repeat(600) + "]".repeat(600) + "}"), "envelope_malformed", "");
            assertRejection(reject("{\"filter\":\"eq\"}"), "envelope_malformed", "/filter");
            assertRejection(reject("{\"filter\":[1]}"), "envelope_malformed", "/filter");
            assertThat(catchThrowableOfType(QueryFilterValidationException.class, () -> decoder.decode((String) null))
                    .errorCode()).isEqualTo(ValidationErrorCode.ENVELOPE_MALFORMED);
        }

        @Test
        void versionUnsupportedIsCheckedBeforeTheFilter() {
            QueryFilterValidationException e = reject("{\"version\":1,\"filter\":5}");
            assertRejection(e, "version_unsupported", "/version");
            assertThat(e.details()).containsExactly(Map.entry("received", 1));
            assertThat(reject("{\"version\":\"2\"}").details()).containsEntry("received", "2");
        }

        @Test
        void nodeMalformed() {
            assertRejection(reject("{\"filter\":null}"), "node_malformed", "/filter");
            assertRejection(reject(env("{}")), "node_malformed", "/filter");
            assertRejection(reject(env("{\"op\":\"and\",\"args\":\"x\"}")), "node_malformed", "/filter/args");
            assertRejection(reject(env("{\"op\":\"not\",\"arg\":7}")), "node_malformed", "/filter/arg");
            assertRejection(reject(env("{\"op\":\"eq\",\"value\":1}")), "node_malformed", "/filter");
            assertRejection(reject(env("{\"op\":\"eq\",\"field\":{\"model\":\"company\"},\"value\":1}")),
                    "node_malformed", "/filter/field/name");
            assertRejection(reject(env(leaf("eq", null))), "node_malformed", "/filter");
            assertRejection(reject(env(leaf("prefix", "true"))), "node_malformed", "/filter/value");
            assertRejection(reject(env(leaf("in", "[1,{\"a\":1}]"))), "node_malformed", "/filter/value/1");
        }

        @Test
        void aStringWithAnUnpairedSurrogateIsMalformedInsteadOfMatchingQuestionMarks() {
            assertRejection(reject(env(leaf("eq", "\"a\\ud800\""))), "node_malformed", "/filter/value");
            assertRejection(reject(env(leaf("in", "[\"ok\", \"\\udc00b\"]"))), "node_malformed", "/filter/value/1");
            assertThat(decoder.decode(env(leaf("eq", "\"\\ud83d\\ude00\"")))).as("a surrogate pair is one code point")
                    .isEqualTo(LeafNode.of(EMPLOYEES, "eq", "\ud83d\ude00"));
        }

        @Test
        void nestedFailureReportsThePathToTheValue() {
            String body = env("{\"op\":\"and\",\"args\":[" + leaf("eq", "1") + "," + leaf("lt", "[1]") + "]}");
            assertRejection(reject(body), "node_malformed", "/filter/args/1/value");
        }

        @Test
        void operatorUnknown() {
            QueryFilterValidationException e = reject(env("{\"op\":\"not\",\"arg\":{\"op\":\"regex\"}}"));
            assertRejection(e, "operator_unknown", "/filter/arg/op");
            assertThat(e.details()).containsExactly(Map.entry("received", "regex"));
        }

        @Test
        void valueCountMismatch() {
            assertRejection(reject(env("{\"op\":\"or\",\"args\":[]}")), "value_count_mismatch", "/filter/args");
            assertRejection(reject(env(leaf("in", "[]"))), "value_count_mismatch", "/filter/value");
            QueryFilterValidationException e = reject(env(leaf("between", "[1,2,3]")));
            assertRejection(e, "value_count_mismatch", "/filter/value");
            assertThat(e.details()).containsExactly(Map.entry("observed", 3));
        }

        @Test
        void valueUnexpected() {
            assertRejection(reject(env(leaf("is_null", "null"))), "value_unexpected", "/filter/value");
        }

        @Test
        void valueOutOfBounds() {
            assertRejection(reject(env(leaf("prefix", "\"\""))), "value_out_of_bounds", "/filter/value");

            JsonFilterDecoder small = new JsonFilterDecoder(new FilterLimits(8, 256, 2, 3, 4, 65_536));
            QueryFilterValidationException args = reject(small,
                    env("{\"op\":\"and\",\"args\":[" + leaf("eq", "1") + "," + leaf("eq", "2") + "," + leaf("eq", "3") + "]}"));
            assertRejection(args, "value_out_of_bounds", "/filter/args");
            assertThat(args.details()).containsExactly(Map.entry("observed", 3), Map.entry("limit", 2));

            QueryFilterValidationException in = reject(small, env(leaf("in", "[1,2,3,4]")));
            assertRejection(in, "value_out_of_bounds", "/filter/value");
            assertThat(in.details()).containsExactly(Map.entry("observed", 4), Map.entry("limit", 3));

            // Code points, not UTF-16 units: four astral characters are within a limit of 4; five are not.
            assertThat(small.decode(env(leaf("eq", "\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"")))).isNotNull();
            QueryFilterValidationException str = reject(small, env(leaf("between", "[\"a\",\"\u00e9\u00e9\u00e9\u00e9\u00e9\"]")));
            assertRejection(str, "value_out_of_bounds", "/filter/value/1");
            assertThat(str.details()).containsExactly(Map.entry("observed", 5), Map.entry("limit", 4));
        }

        @Test
        void payloadBytesAreCountedInUtf8BeforeAnythingElse() {
            String body = "{\"x\":\"" + "\u00e9".repeat(10) + "\"}"; // 18 chars, 28 bytes
            JsonFilterDecoder d = new JsonFilterDecoder(new FilterLimits(8, 256, 64, 1024, 4096, 20));
            QueryFilterValidationException e = reject(d, body);
            assertRejection(e, "value_out_of_bounds", "");
            assertThat(e.details()).containsExactly(Map.entry("observed", 28), Map.entry("limit", 20));
            // Even a document that is not JSON is measured first.
            assertRejection(reject(d, "x".repeat(21)), "value_out_of_bounds", "");
            assertThat(new JsonFilterDecoder(new FilterLimits(8, 256, 64, 1024, 4096, 28)).decode(body)).isNull();
        }

        @Test
        void nestingTooDeep() {
            JsonFilterDecoder d = new JsonFilterDecoder(new FilterLimits(2, 256, 64, 1024, 4096, 65_536));
            assertThat(d.decode(env("{\"op\":\"not\",\"arg\":" + leaf("eq", "1") + "}"))).isNotNull();
            QueryFilterValidationException e = reject(d,
                    env("{\"op\":\"or\",\"args\":[" + leaf("eq", "1") + ",{\"op\":\"not\",\"arg\":" + leaf("eq", "1") + "}]}"));
            assertRejection(e, "nesting_too_deep", "/filter/args/1/arg");
            assertThat(e.details()).containsExactly(Map.entry("limit", 2));
        }

        @Test
        void nodeCountExceededNamesTheFirstNodeBeyondTheLimitInPreOrder() {
            JsonFilterDecoder d = new JsonFilterDecoder(new FilterLimits(8, 4, 64, 1024, 4096, 65_536));
            String body = env("{\"op\":\"and\",\"args\":[{\"op\":\"not\",\"arg\":" + leaf("eq", "1") + "},"
                    + leaf("eq", "2") + "," + leaf("eq", "3") + "]}");
            QueryFilterValidationException e = reject(d, body);
            assertRejection(e, "node_count_exceeded", "/filter/args/2");
            assertThat(e.details()).containsExactly(Map.entry("limit", 4));
        }
    }

    @Nested
    class Bytes {
        @Test
        void decodesUtf8Bytes() {
            byte[] body = env(leaf("eq", "\"caf\u00e9\"")).getBytes(StandardCharsets.UTF_8);
            assertThat(decoder.decode(body)).isEqualTo(LeafNode.of(EMPLOYEES, "eq", "caf\u00e9"));
        }

        @Test
        void invalidUtf8IsMalformed() {
            byte[] body = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
            assertRejection(catchThrowableOfType(QueryFilterValidationException.class, () -> decoder.decode(body)),
                    "envelope_malformed", "");
        }

        @Test
        void byteCapAppliesToTheRawBytes() {
            JsonFilterDecoder d = new JsonFilterDecoder(new FilterLimits(8, 256, 64, 1024, 4096, 5));
            QueryFilterValidationException e = catchThrowableOfType(QueryFilterValidationException.class,
                    () -> d.decode(new byte[6]));
            assertRejection(e, "value_out_of_bounds", "");
        }
    }

    @Test
    void pointerSegmentsAreEscapedPerRfc6901() {
        assertThat(JsonPointers.child("", "filter")).isEqualTo("/filter");
        assertThat(JsonPointers.child("/filter", "a/b~c")).isEqualTo("/filter/a~1b~0c");
        assertThat(JsonPointers.child("", "~1")).isEqualTo("/~01");
        assertThat(JsonPointers.child("/filter/args", 3)).isEqualTo("/filter/args/3");
    }
}
