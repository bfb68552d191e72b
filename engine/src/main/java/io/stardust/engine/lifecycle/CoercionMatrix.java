package io.stardust.engine.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.engine.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The retype coercion matrix: what a field's stored JSON value becomes in its new slot when the field changes from
 * one declared type to another. Pure; used only by the retype/promotion backfill, never on first write (a write
 * after the retype started is coerced by the write path against the new type).
 *
 * <p>The input is the raw JSON value of {@code entry_data.fields}, not the old slot value. Evaluation order:
 * absent or JSON null is {@link NotAttempted} (NULL, no event); a pair between int/numeric and datetime is
 * {@code epoch_coercion_rejected} (the initiator refuses those pairs, so this is a safety net); the identity cell
 * when the type does not change (a relocation); otherwise the off-diagonal cell. A value that cannot be coerced is
 * {@link NullCoerced}: the slot gets NULL and the backfill logs {@code coercion_null} with the reason.
 *
 * <p>Divergences from upstream (documented in the README): floats render as the shortest round-trip decimal,
 * not PHP's 14 significant digits; date-time parsing is strict ISO-8601 (no relative phrases); a string longer than
 * the 4096 code-point slot limit and a date-time outside MySQL's DATETIME range are {@code out_of_range} instead of
 * failing in MySQL.
 */
public final class CoercionMatrix {

    /** The closed set of {@code coercion_null} reasons. */
    public enum Reason {
        OUT_OF_RANGE, NON_INTEGER, MALFORMED_DATETIME, MALFORMED_NUMBER, EPOCH_COERCION_REJECTED, UNPARSEABLE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one value becomes. */
    public sealed interface Outcome {
        /** The slot value: String, Long, Double or LocalDateTime (UTC), or null. */
        Object slotValue();
    }

    /** The value converted; {@code value} is a String, Long, Double or LocalDateTime (UTC). */
    public record Coerced(Object value) implements Outcome {
        @Override
        public Object slotValue() {
            return value;
        }
    }

    /** A present value that does not convert: the slot gets NULL and a {@code coercion_null} event is logged. */
    public record NullCoerced(Reason reason) implements Outcome {
        @Override
        public Object slotValue() {
            return null;
        }
    }

    /** Key absent or JSON null: the slot gets NULL and nothing is logged. */
    public record NotAttempted() implements Outcome {
        @Override
        public Object slotValue() {
            return null;
        }
    }

    private static final Pattern INT_LITERAL = Pattern.compile("-?[0-9]+");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern RFC3339_WITH_OFFSET = Pattern.compile(
            "([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}:[0-9]{2})(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})");
    private static final Pattern DATE_TIME_ANY_OFFSET = Pattern.compile(
            "([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[Tt ]([0-9]{2}:[0-9]{2}:[0-9]{2})(\\.[0-9]+)?)?"
                    + "(Z|z|[+-][0-9]{2}:?[0-9]{2})?");
    private static final int MAX_STRING_CODE_POINTS = 4096;
    private static final LocalDateTime MIN_DATETIME = LocalDateTime.of(1000, 1, 1, 0, 0);
    private static final LocalDateTime MAX_DATETIME = LocalDateTime.of(9999, 12, 31, 23, 59, 59);
    private static final DateTimeFormatter RFC3339_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final double TWO_POW_63 = 9.223372036854775808E18;

    private CoercionMatrix() {
    }

    /** The pairs no retype may request: there is no meaningful conversion between numbers and instants. */
    public static boolean isRejectedPair(DeclaredType from, DeclaredType to) {
        boolean fromNumber = from == DeclaredType.INT || from == DeclaredType.NUMERIC;
        boolean toNumber = to == DeclaredType.INT || to == DeclaredType.NUMERIC;
        return (fromNumber && to == DeclaredType.DATETIME) || (from == DeclaredType.DATETIME && toNumber);
    }

    /** Coerces {@code raw} (the JSON value, or null when the key is absent) from {@code from} to {@code to}. */
    public static Outcome coerce(DeclaredType from, DeclaredType to, JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return new NotAttempted();
        }
        if (isRejectedPair(from, to)) {
            return fail(Reason.EPOCH_COERCION_REJECTED);
        }
        Outcome out = switch (from) {
            case STRING -> fromString(to, raw);
            case INT -> fromInt(to, raw);
            case NUMERIC -> fromNumeric(to, raw);
            case DATETIME -> fromDatetime(to, raw);
        };
        return checkSlotLimits(out);
    }

    private static Outcome fromString(DeclaredType to, JsonNode v) {
        return switch (to) {
            case STRING -> v.isContainerNode() ? fail(Reason.UNPARSEABLE) : ok(phpString(v));
            case INT -> v.isTextual() ? intLiteral(v.textValue()) : fail(Reason.UNPARSEABLE);
            case NUMERIC -> v.isTextual() ? jsonNumber(v.textValue()) : fail(Reason.MALFORMED_NUMBER);
            case DATETIME -> v.isTextual() ? strictRfc3339(v.textValue()) : fail(Reason.MALFORMED_DATETIME);
        };
    }

    private static Outcome fromInt(DeclaredType to, JsonNode v) {
        return switch (to) {
            case INT -> Json.isInteger(v) ? ok(v.longValue()) : intLiteral(phpString(v));
            case STRING -> {
                if (Json.isInteger(v)) {
                    yield ok(Long.toString(v.longValue()));
                }
                if (v.isTextual()) {
                    Outcome parsed = intLiteral(v.textValue());
                    yield parsed instanceof Coerced c ? ok(Long.toString((Long) c.value())) : parsed;
                }
                yield fail(Reason.UNPARSEABLE);
            }
            case NUMERIC -> {
                if (Json.isInteger(v)) {
                    yield ok((double) v.longValue());
                }
                if (v.isTextual()) {
                    Outcome parsed = intLiteral(v.textValue());
                    yield parsed instanceof Coerced c ? ok(((Long) c.value()).doubleValue()) : parsed;
                }
                yield fail(Reason.UNPARSEABLE);
            }
            case DATETIME -> fail(Reason.EPOCH_COERCION_REJECTED);
        };
    }

    private static Outcome fromNumeric(DeclaredType to, JsonNode v) {
        switch (to) {
            case NUMERIC -> {
                if (v.isNumber()) {
                    return finite(v.doubleValue());
                }
                return jsonNumber(v.isTextual() ? v.textValue() : phpString(v));
            }
            case STRING -> {
                Outcome d = extractDouble(v);
                if (!(d instanceof Coerced c)) {
                    return d;
                }
                double x = (Double) c.value();
                if (x == 0) {
                    return ok("0");
                }
                if (Json.isInteger(v)) {
                    return ok(Long.toString(v.longValue()));
                }
                return ok(numericText(x));
            }
            case INT -> {
                Outcome d = extractDouble(v);
                if (!(d instanceof Coerced c)) {
                    return d;
                }
                double x = (Double) c.value();
                if (x != Math.rint(x)) {
                    return fail(Reason.NON_INTEGER);
                }
                if (x < -TWO_POW_63 || x >= TWO_POW_63) {
                    return fail(Reason.OUT_OF_RANGE);
                }
                return ok((long) x);
            }
            default -> {
                return fail(Reason.EPOCH_COERCION_REJECTED);
            }
        }
    }

    private static Outcome fromDatetime(DeclaredType to, JsonNode v) {
        if (!v.isTextual()) {
            return fail(Reason.MALFORMED_DATETIME);
        }
        OffsetDateTime parsed = parseDt(v.textValue());
        if (parsed == null) {
            return fail(Reason.MALFORMED_DATETIME);
        }
        LocalDateTime utc = parsed.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        return switch (to) {
            case STRING -> ok(RFC3339_MICROS.format(utc.truncatedTo(ChronoUnit.MICROS)));
            case DATETIME -> ok(utc.truncatedTo(ChronoUnit.SECONDS));
            default -> fail(Reason.EPOCH_COERCION_REJECTED);
        };
    }

    /** A finite double from a JSON number or a JSON-number string; anything else is {@code malformed_number}. */
    private static Outcome extractDouble(JsonNode v) {
        if (v.isNumber()) {
            return finite(v.doubleValue());
        }
        if (v.isTextual()) {
            return jsonNumber(v.textValue());
        }
        return fail(Reason.MALFORMED_NUMBER);
    }

    /**
     * Fixed-notation text of a non-zero double: the float rendering, re-rendered in plain notation with 14 decimals
     * if it has an exponent; trailing zeros and a trailing dot stripped (so values below about 1e-14 become 0).
     */
    static String numericText(double x) {
        String s = Json.formatDouble(x);
        if (s.contains("E") || s.contains("e")) {
            s = BigDecimal.valueOf(x).setScale(14, RoundingMode.HALF_EVEN).toPlainString();
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
            s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
        return s.isEmpty() || s.equals("-") || s.equals("-0") ? "0" : s;
    }

    /** PHP's scalar-to-string: booleans as "1" and "", numbers as their text, containers as "Array". */
    static String phpString(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (Json.isInteger(v)) {
            return Long.toString(v.longValue());
        }
        if (v.isNumber()) {
            return Json.formatDouble(v.doubleValue());
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "1" : "";
        }
        return "Array";
    }

    private static Outcome intLiteral(String s) {
        if (!INT_LITERAL.matcher(s).matches()) {
            return fail(Reason.UNPARSEABLE);
        }
        try {
            long parsed = Long.parseLong(s);
            return Long.toString(parsed).equals(s) ? ok(parsed) : fail(Reason.OUT_OF_RANGE);
        } catch (NumberFormatException overflow) {
            return fail(Reason.OUT_OF_RANGE);
        }
    }

    private static Outcome jsonNumber(String s) {
        if (!JSON_NUMBER.matcher(s).matches()) {
            return fail(Reason.MALFORMED_NUMBER);
        }
        return finite(Double.parseDouble(s));
    }

    private static Outcome finite(double d) {
        return Double.isFinite(d) ? ok(d) : fail(Reason.OUT_OF_RANGE);
    }

    /** string→datetime accepts only a full date-time with a zone ({@code Z} or {@code ±HH:MM}). */
    private static Outcome strictRfc3339(String s) {
        if (!RFC3339_WITH_OFFSET.matcher(s).matches()) {
            return fail(Reason.MALFORMED_DATETIME);
        }
        OffsetDateTime parsed = parseDt(s);
        return parsed == null ? fail(Reason.MALFORMED_DATETIME)
                : ok(parsed.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Date, date-time, with or without fraction, with {@code Z}, {@code ±HH:MM} or {@code ±HHMM}; no zone means UTC.
     * Impossible calendar dates are null.
     */
    static OffsetDateTime parseDt(String s) {
        Matcher m = DATE_TIME_ANY_OFFSET.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(m.group(1));
            LocalDateTime local = m.group(2) == null ? date.atStartOfDay()
                    : LocalDateTime.of(date, java.time.LocalTime.parse(m.group(2)));
            if (m.group(3) != null) {
                String digits = (m.group(3).substring(1) + "000000000").substring(0, 9);
                local = local.withNano(Integer.parseInt(digits));
            }
            String zone = m.group(4);
            ZoneOffset offset = ZoneOffset.UTC;
            if (zone != null && !zone.equalsIgnoreCase("Z")) {
                String z = zone.contains(":") ? zone : zone.substring(0, 3) + ":" + zone.substring(3);
                offset = ZoneOffset.of(z);
            }
            return OffsetDateTime.of(local, offset);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static Outcome checkSlotLimits(Outcome out) {
        if (out instanceof Coerced c) {
            if (c.value() instanceof String s && Json.codePoints(s) > MAX_STRING_CODE_POINTS) {
                return fail(Reason.OUT_OF_RANGE);
            }
            if (c.value() instanceof LocalDateTime t && (t.isBefore(MIN_DATETIME) || t.isAfter(MAX_DATETIME))) {
                return fail(Reason.OUT_OF_RANGE);
            }
        }
        return out;
    }

    private static Outcome ok(Object v) {
        return new Coerced(v);
    }

    private static Outcome fail(Reason r) {
        return new NullCoerced(r);
    }
}
