package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.engine.json.Json;
import io.stardust.engine.lifecycle.CoercionMatrix.Coerced;
import io.stardust.engine.lifecycle.CoercionMatrix.NotAttempted;
import io.stardust.engine.lifecycle.CoercionMatrix.NullCoerced;
import io.stardust.engine.lifecycle.CoercionMatrix.Outcome;
import java.time.LocalDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the retype coercion matrix, one row per (from, to, raw JSON value) with its expected outcome. */
class RetypeCoercionMatrixTest {

    static Stream<Arguments> cells() {
        return Stream.of(
                // string -> string: scalars as text, containers unparseable
                row("string", "string", "\"hello\"", "hello"),
                row("string", "string", "42", "42"),
                row("string", "string", "1.5", "1.5"),
                row("string", "string", "true", "1"),
                row("string", "string", "false", ""),
                row("string", "string", "[1]", "unparseable"),
                row("string", "string", "{\"a\":1}", "unparseable"),
                // string -> int: canonical integer literals only
                row("string", "int", "\"42\"", 42L),
                row("string", "int", "\"-1\"", -1L),
                row("string", "int", "\"0\"", 0L),
                row("string", "int", "\"hello\"", "unparseable"),
                row("string", "int", "\"3.5\"", "unparseable"),
                row("string", "int", "\"+42\"", "unparseable"),
                row("string", "int", "\" 42\"", "unparseable"),
                row("string", "int", "\"1,234\"", "unparseable"),
                row("string", "int", "\"92233720368547758070\"", "out_of_range"),
                row("string", "int", "\"007\"", "out_of_range"),
                row("string", "int", "\"-0\"", "out_of_range"),
                row("string", "int", "42", "unparseable"),
                // string -> numeric: JSON number grammar
                row("string", "numeric", "\"42\"", 42.0),
                row("string", "numeric", "\"3.5\"", 3.5),
                row("string", "numeric", "\"-0.5\"", -0.5),
                row("string", "numeric", "\"1.5e2\"", 150.0),
                row("string", "numeric", "\"hello\"", "malformed_number"),
                row("string", "numeric", "\"NaN\"", "malformed_number"),
                row("string", "numeric", "\"Infinity\"", "malformed_number"),
                row("string", "numeric", "\"+3.5\"", "malformed_number"),
                row("string", "numeric", "\".5\"", "malformed_number"),
                row("string", "numeric", "\"1e999\"", "out_of_range"),
                row("string", "numeric", "42", "malformed_number"),
                // string -> datetime: full RFC 3339 with a zone only
                row("string", "datetime", "\"2026-01-15T08:00:00+05:00\"", LocalDateTime.of(2026, 1, 15, 3, 0)),
                row("string", "datetime", "\"2026-01-15 08:00:00Z\"", LocalDateTime.of(2026, 1, 15, 8, 0)),
                row("string", "datetime", "\"2026-01-15t08:00:00.123456789Z\"", LocalDateTime.of(2026, 1, 15, 8, 0)),
                row("string", "datetime", "\"2026-01-15 08:00:00\"", "malformed_datetime"),
                row("string", "datetime", "\"2026-01-15\"", "malformed_datetime"),
                row("string", "datetime", "\"2026-02-30T08:00:00Z\"", "malformed_datetime"),
                row("string", "datetime", "\"yesterday\"", "malformed_datetime"),
                row("string", "datetime", "1700000000", "malformed_datetime"),
                // int -> int
                row("int", "int", "5", 5L),
                row("int", "int", "5.0", 5L),
                row("int", "int", "true", 1L),
                row("int", "int", "\"42\"", 42L),
                row("int", "int", "5.5", "unparseable"),
                row("int", "int", "false", "unparseable"),
                row("int", "int", "[1]", "unparseable"),
                // int -> string
                row("int", "string", "-17", "-17"),
                row("int", "string", "\"17\"", "17"),
                row("int", "string", "\"017\"", "out_of_range"),
                row("int", "string", "1.5", "unparseable"),
                row("int", "string", "true", "unparseable"),
                row("int", "string", "{}", "unparseable"),
                // int -> numeric
                row("int", "numeric", "7", 7.0),
                row("int", "numeric", "\"7\"", 7.0),
                row("int", "numeric", "7.5", "unparseable"),
                row("int", "numeric", "\"x\"", "unparseable"),
                // numeric -> numeric
                row("numeric", "numeric", "2.5", 2.5),
                row("numeric", "numeric", "3", 3.0),
                row("numeric", "numeric", "\"2.5\"", 2.5),
                row("numeric", "numeric", "\" 2.5\"", "malformed_number"),
                row("numeric", "numeric", "true", 1.0),
                row("numeric", "numeric", "false", "malformed_number"),
                row("numeric", "numeric", "[]", "malformed_number"),
                // numeric -> string
                row("numeric", "string", "42.0", "42"),
                row("numeric", "string", "1.5", "1.5"),
                row("numeric", "string", "1e20", "100000000000000000000"),
                row("numeric", "string", "1.5e-7", "0.00000015"),
                row("numeric", "string", "1e-15", "0"),
                row("numeric", "string", "-0.0", "0"),
                row("numeric", "string", "12", "12"),
                row("numeric", "string", "\"2.50\"", "2.5"),
                row("numeric", "string", "\"abc\"", "malformed_number"),
                row("numeric", "string", "true", "malformed_number"),
                // numeric -> int
                row("numeric", "int", "42.0", 42L),
                row("numeric", "int", "\"-3\"", -3L),
                row("numeric", "int", "42.5", "non_integer"),
                row("numeric", "int", "1e19", "out_of_range"),
                row("numeric", "int", "-9.3e18", "out_of_range"),
                row("numeric", "int", "\"x\"", "malformed_number"),
                row("numeric", "int", "false", "malformed_number"),
                // datetime -> string
                row("datetime", "string", "\"2026-01-15T08:00:00Z\"", "2026-01-15T08:00:00.000000Z"),
                row("datetime", "string", "\"2026-01-15 08:00:00\"", "2026-01-15T08:00:00.000000Z"),
                row("datetime", "string", "\"2026-01-15T08:00:00.5+01:00\"", "2026-01-15T07:00:00.500000Z"),
                row("datetime", "string", "\"2026-01-15\"", "2026-01-15T00:00:00.000000Z"),
                row("datetime", "string", "\"2026-01-15T08:00:00+0130\"", "2026-01-15T06:30:00.000000Z"),
                row("datetime", "string", "\"not a date\"", "malformed_datetime"),
                row("datetime", "string", "20260115", "malformed_datetime"),
                // datetime -> datetime
                row("datetime", "datetime", "\"2026-01-15 08:00:00\"", LocalDateTime.of(2026, 1, 15, 8, 0)),
                row("datetime", "datetime", "\"2026-01-15T08:00:00-02:00\"", LocalDateTime.of(2026, 1, 15, 10, 0)),
                row("datetime", "datetime", "\"0999-12-31T23:00:00Z\"", "out_of_range"),
                row("datetime", "datetime", "\"+1 day\"", "malformed_datetime"),
                row("datetime", "datetime", "true", "malformed_datetime"),
                // the rejected pairs, if ever reached
                row("int", "datetime", "5", "epoch_coercion_rejected"),
                row("numeric", "datetime", "5.5", "epoch_coercion_rejected"),
                row("datetime", "int", "\"2026-01-15\"", "epoch_coercion_rejected"),
                row("datetime", "numeric", "\"2026-01-15\"", "epoch_coercion_rejected"),
                // the 4096 code-point string slot limit
                row("string", "string", "\"" + "x".repeat(4097) + "\"", "out_of_range"),
                row("string", "string", "\"" + "\uD83D\uDE00".repeat(4096) + "\"", "\uD83D\uDE00".repeat(4096)));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("cells")
    void eachCellCoercesOrNullsWithItsReason(String from, String to, String rawJson, Object expected) throws Exception {
        Outcome out = CoercionMatrix.coerce(DeclaredType.parse(from), DeclaredType.parse(to), Json.parse(rawJson));
        if (expected instanceof String reason && isReason(reason)) {
            assertThat(out).isEqualTo(new NullCoerced(CoercionMatrix.Reason.valueOf(reason.toUpperCase())));
        } else {
            assertThat(out).isEqualTo(new Coerced(expected));
        }
    }

    @ParameterizedTest
    @EnumSource(DeclaredType.class)
    void anAbsentKeyOrAJsonNullIsNotAttemptedForEveryPairEvenRejectedOnes(DeclaredType from) throws Exception {
        for (DeclaredType to : DeclaredType.values()) {
            assertThat(CoercionMatrix.coerce(from, to, null)).isEqualTo(new NotAttempted());
            JsonNode nul = Json.parse("null");
            assertThat(CoercionMatrix.coerce(from, to, nul)).isEqualTo(new NotAttempted());
        }
    }

    @ParameterizedTest
    @EnumSource(DeclaredType.class)
    void exactlyTheNumberDatetimePairsAreRejected(DeclaredType from) {
        for (DeclaredType to : DeclaredType.values()) {
            boolean number = t(from) && to == DeclaredType.DATETIME || from == DeclaredType.DATETIME && t(to);
            assertThat(CoercionMatrix.isRejectedPair(from, to)).as(from + "->" + to).isEqualTo(number);
        }
    }

    private static boolean t(DeclaredType x) {
        return x == DeclaredType.INT || x == DeclaredType.NUMERIC;
    }

    private static boolean isReason(String s) {
        for (CoercionMatrix.Reason r : CoercionMatrix.Reason.values()) {
            if (r.wireName().equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static Arguments row(String from, String to, String rawJson, Object expected) {
        return Arguments.of(from, to, rawJson, expected);
    }
}
