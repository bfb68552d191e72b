package io.stardust.engine.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.engine.json.Json;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * First-write coercion of a JSON value to its field's slot type, fail-fast: anything that does not
 * fit throws {@link UncoercibleSlotValueException} and the caller rolls back the whole entry. JSON null is SQL
 * NULL for every type. Slot values come out as String, Long, Double or LocalDateTime (UTC).
 */
public final class ValueCoercer {
    public static final int MAX_STRING_CODE_POINTS = 4096;

    private static final Pattern INT_TEXT = Pattern.compile("-?[0-9]+");
    /** PHP's numeric-string grammar: optional surrounding whitespace, sign, digits/fraction, exponent. */
    private static final Pattern NUMERIC_TEXT = Pattern.compile(
            "[ \\t\\n\\r\\x0B\\f]*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?[ \\t\\n\\r\\x0B\\f]*");
    /** A numeric string whose digits before any exponent are not all zero. */
    private static final Pattern NONZERO_SIGNIFICAND = Pattern.compile("[+-]?[0.]*[1-9]");
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd").optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();
    private static final Pattern DATE_ONLY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?");
    private static final LocalDateTime MIN_DATETIME = LocalDateTime.of(1000, 1, 1, 0, 0);
    private static final LocalDateTime MAX_DATETIME = LocalDateTime.of(9999, 12, 31, 23, 59, 59);

    private ValueCoercer() {
    }

    public static Object coerce(String fieldName, DeclaredType type, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber() && !Json.fitsDouble(v)) {
            throw reject(fieldName, type.wireName(), v, whyNotADouble(v));
        }
        return switch (type) {
            case STRING -> toStringSlot(fieldName, v);
            case INT -> toInt(fieldName, v);
            case NUMERIC -> toNumeric(fieldName, v);
            case DATETIME -> toDateTime(fieldName, v);
        };
    }

    private static String toStringSlot(String field, JsonNode v) {
        String s;
        if (v.isTextual()) {
            s = v.textValue();
        } else if (Json.isInteger(v)) {
            s = Long.toString(v.longValue());
        } else if (v.isNumber()) {
            s = Json.formatDouble(v.doubleValue());
        } else if (v.isBoolean()) {
            s = v.booleanValue() ? "1" : "";
        } else {
            throw reject(field, "string", v, "arrays and objects cannot be stored in a string slot");
        }
        int length = Json.codePoints(s);
        if (length > MAX_STRING_CODE_POINTS) {
            throw new UncoercibleSlotValueException("field '" + field + "': string of " + length
                    + " code points exceeds the " + MAX_STRING_CODE_POINTS + " limit");
        }
        return s;
    }

    private static Long toInt(String field, JsonNode v) {
        if (Json.isInteger(v)) {
            return v.longValue();
        }
        if (v.isNumber()) {
            BigDecimal d = v.isBigInteger() ? new BigDecimal(v.bigIntegerValue())
                    : v.isBigDecimal() ? v.decimalValue() : BigDecimal.valueOf(v.doubleValue());
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw reject(field, "int", v, "not an integral value within the signed 64-bit range");
            }
        }
        if (v.isTextual() && INT_TEXT.matcher(v.textValue()).matches()) {
            try {
                long parsed = Long.parseLong(v.textValue());
                if (Long.toString(parsed).equals(v.textValue())) {
                    return parsed;
                }
            } catch (NumberFormatException overflow) {
                // falls through to the rejection below
            }
        }
        throw reject(field, "int", v, "expected an integer or a canonical integer string");
    }

    private static Double toNumeric(String field, JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue(); // coerce() has already refused numbers a double cannot hold
        }
        if (!v.isTextual() || !NUMERIC_TEXT.matcher(v.textValue()).matches()) {
            throw reject(field, "numeric", v, "expected a number or a numeric string");
        }
        String text = v.textValue().strip();
        double d = Double.parseDouble(text);
        if (!Double.isFinite(d)) {
            throw reject(field, "numeric", v, "the value is out of the double range");
        }
        if (d == 0 && NONZERO_SIGNIFICAND.matcher(text).lookingAt()) {
            throw reject(field, "numeric", v, "the value is not zero but too small for a double (it would be stored as 0)");
        }
        return d;
    }

    private static LocalDateTime toDateTime(String field, JsonNode v) {
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw reject(field, "datetime", v, "expected an ISO-8601 / RFC 3339 date-time string");
        }
        LocalDateTime utc = parseDateTime(v.textValue());
        if (utc == null) {
            throw reject(field, "datetime", v, "expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or RFC 3339 with optional offset");
        }
        if (utc.isBefore(MIN_DATETIME) || utc.isAfter(MAX_DATETIME)) {
            throw reject(field, "datetime", v, "outside MySQL's DATETIME range 1000-01-01..9999-12-31");
        }
        return utc;
    }

    /**
     * Strict date-time parsing (fix for upstream quirk Q19): date-only, naive date-time (taken as UTC), or RFC 3339
     * with {@code Z} or an offset; converted to UTC and truncated to seconds. Anything else, including impossible
     * dates such as 2024-02-30, is null.
     */
    public static LocalDateTime parseDateTime(String s) {
        try {
            if (DATE_ONLY.matcher(s).matches()) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (!DATE_TIME.matcher(s).matches()) {
                return null;
            }
            String normalized = s.replace('t', 'T').replace('z', 'Z');
            char last = normalized.charAt(normalized.length() - 1);
            boolean hasOffset = last == 'Z' || normalized.matches(".*[+-][0-9]{2}:[0-9]{2}$");
            if (hasOffset) {
                String iso = normalized.replace(' ', 'T');
                return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                        .truncatedTo(ChronoUnit.SECONDS);
            }
            return LocalDateTime.parse(normalized, LOCAL.withResolverStyle(java.time.format.ResolverStyle.STRICT))
                    .truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Why {@link Json#fitsDouble} refused {@code v}. */
    static String whyNotADouble(JsonNode v) {
        if (v.isFloatingPointNumber() && !v.isBigDecimal() && Double.isNaN(v.doubleValue())) {
            return "NaN is not a number JSON can hold";
        }
        if (Double.isInfinite(v.doubleValue())) {
            return "the number is outside the range of a double (about ±1.8e308)";
        }
        return "the number is not zero but too small for a double (it would be stored as 0)";
    }

    private static UncoercibleSlotValueException reject(String field, String type, JsonNode v, String why) {
        String shown = v.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new UncoercibleSlotValueException("field '" + field + "' (" + type + "): cannot store " + shown + ": " + why);
    }
}
