package io.stardust.engine.text;

import java.util.OptionalLong;

/**
 * The one parser for ids and counts that arrive as text (tenant, entry and model ids, page sizes) in URLs, Kafka
 * keys, CLI options and config. Only the canonical spelling {@code [1-9][0-9]*} within signed 64 bits is accepted:
 * {@link Long#parseLong} also takes {@code +1}, {@code 01} and non-ASCII digits such as fullwidth {@code １}, which
 * would let two different strings name the same tenant (and, in Kafka keys, land on different partitions).
 */
public final class CanonicalIds {
    private static final int MAX_DIGITS = 19;

    private CanonicalIds() {
    }

    /** The value, or empty when {@code text} is not a canonical positive integer that fits in a long. */
    public static OptionalLong tryParse(CharSequence text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        int n = text.length();
        if (n == 0 || n > MAX_DIGITS || text.charAt(0) == '0') {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 + digit;
        }
        return OptionalLong.of(value);
    }

    /**
     * The value of a canonical positive integer.
     *
     * @param what names the value in the error, e.g. {@code "tenant id"}
     * @throws IllegalArgumentException naming {@code what} and the rejected text
     */
    public static long parse(CharSequence text, String what) {
        OptionalLong value = tryParse(text);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a positive integer written as [1-9][0-9]* (at most "
                    + Long.MAX_VALUE + "), got '" + text + "'");
        }
        return value.getAsLong();
    }
}
