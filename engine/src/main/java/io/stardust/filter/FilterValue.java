package io.stardust.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The value of a leaf: one scalar, or a list of scalars for set and range operators. The scalar kinds mirror the
 * JSON classification StarDust validates against: a string, an <em>integer</em> (fits in signed 64
 * bits), a <em>float</em> (has a fraction or exponent, or is an integer outside int64) or a boolean. Keeping integer
 * and float apart matters: {@code 5} and {@code 5.0} are typed differently by pre-flight.
 *
 * <p>Record equality is (kind, value), which is exactly the de-duplication key of {@code in}/{@code nin}:
 * {@code 1}, {@code 1.0}, {@code "1"} and {@code true} are four different values.
 */
public sealed interface FilterValue permits FilterValue.Scalar, FilterValue.ListValue {

    /** The value as a plain Java object: String, Long, Double, Boolean, or a List of those. */
    Object toJava();

    /** A single value. */
    sealed interface Scalar extends FilterValue
            permits StringValue, IntegerValue, FloatValue, BooleanValue {
    }

    record StringValue(String value) implements Scalar {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Object toJava() {
            return value;
        }
    }

    record IntegerValue(long value) implements Scalar {
        @Override
        public Object toJava() {
            return value;
        }
    }

    /**
     * A JSON float. Infinity is allowed because JSON text such as {@code 1e400} decodes to it (as in PHP), and
     * pre-flight must see it to reject it; NaN cannot come from JSON and is refused.
     */
    record FloatValue(double value) implements Scalar {
        public FloatValue {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("a filter value cannot be NaN");
            }
        }

        @Override
        public Object toJava() {
            return value;
        }
    }

    record BooleanValue(boolean value) implements Scalar {
        @Override
        public Object toJava() {
            return value;
        }
    }

    /** The values of an {@code in}, {@code nin} or {@code between} leaf, in order. */
    record ListValue(List<Scalar> values) implements FilterValue {
        public ListValue {
            values = List.copyOf(values);
        }

        @Override
        public Object toJava() {
            return values.stream().map(Scalar::toJava).toList();
        }

        public int size() {
            return values.size();
        }
    }

    static Scalar of(String s) {
        return new StringValue(s);
    }

    static Scalar of(long n) {
        return new IntegerValue(n);
    }

    static Scalar of(double d) {
        return new FloatValue(d);
    }

    static Scalar of(boolean b) {
        return new BooleanValue(b);
    }

    /**
     * Converts a Java value for the typed builders: null stays null; String, integral boxes, Double/Float,
     * Boolean, BigInteger/BigDecimal (classified as JSON would be), a Collection or array of those (a list), or an
     * {@link Instant}/{@link OffsetDateTime}/{@link ZonedDateTime}, which becomes the RFC 3339 text pre-flight
     * expects for datetime fields.
     */
    static FilterValue from(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof FilterValue v) {
            return v;
        }
        if (value instanceof Collection<?> c) {
            return listOf(c);
        }
        if (value instanceof Object[] a) {
            return listOf(Arrays.asList(a));
        }
        return scalar(value);
    }

    private static ListValue listOf(Collection<?> items) {
        List<Scalar> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item == null) {
                throw new IllegalArgumentException("a filter value list cannot contain null");
            }
            if (item instanceof Collection<?> || item instanceof Object[] || item instanceof ListValue) {
                throw new IllegalArgumentException("a filter value list cannot contain a list");
            }
            out.add(scalar(item));
        }
        return new ListValue(out);
    }

    private static Scalar scalar(Object v) {
        if (v instanceof Scalar s) {
            return s;
        }
        if (v instanceof String s) {
            return new StringValue(s);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return new IntegerValue(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            return new FloatValue(((Number) v).doubleValue());
        }
        if (v instanceof Boolean b) {
            return new BooleanValue(b);
        }
        if (v instanceof BigInteger bi) {
            // Same rule as JSON: integers beyond int64 are floats.
            return bi.bitLength() < 64 ? new IntegerValue(bi.longValue()) : new FloatValue(bi.doubleValue());
        }
        if (v instanceof BigDecimal bd) {
            return new FloatValue(bd.doubleValue());
        }
        if (v instanceof Instant i) {
            return new StringValue(rfc3339(i.atOffset(ZoneOffset.UTC)));
        }
        if (v instanceof OffsetDateTime odt) {
            return new StringValue(rfc3339(odt));
        }
        if (v instanceof ZonedDateTime zdt) {
            return new StringValue(rfc3339(zdt.toOffsetDateTime()));
        }
        throw new IllegalArgumentException("unsupported filter value type " + v.getClass().getName());
    }

    private static String rfc3339(OffsetDateTime t) {
        // Pre-flight accepts 1–6 fraction digits, so sub-microsecond precision is dropped.
        String pattern = t.getNano() / 1000 == 0 ? "uuuu-MM-dd'T'HH:mm:ssXXX" : "uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX";
        return DateTimeFormatter.ofPattern(pattern).format(t);
    }
}
