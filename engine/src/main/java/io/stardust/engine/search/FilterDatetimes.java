package io.stardust.engine.search;

import io.stardust.engine.write.ValueCoercer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Datetime filter values take exactly the forms a write takes ({@link ValueCoercer#parseDateTime}): date-only
 * {@code YYYY-MM-DD} (midnight UTC), naive {@code YYYY-MM-DD HH:MM:SS} or with {@code T} (UTC), and RFC 3339 with a
 * fraction and {@code Z} or {@code ±HH:MM}; so any value that was written can be filtered on as written. Upstream
 * bound the caller's text as-is and let MySQL compare it with the DATETIME column (quirk Q18); we bind the UTC
 * instant as {@code yyyy-MM-dd HH:mm:ss}, which is how the write path stores datetime slots, fraction truncated as
 * on writes.
 */
public final class FilterDatetimes {
    /** The accepted forms, as error messages name them. */
    public static final String FORMS = "YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC) or RFC 3339 such as 2024-03-01T10:00:00+02:00";
    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private FilterDatetimes() {
    }

    /** The UTC date-time a filter value denotes, or empty when it has none of the accepted forms or names no real date. */
    public static Optional<LocalDateTime> parse(String text) {
        return Optional.ofNullable(ValueCoercer.parseDateTime(text));
    }

    /**
     * The value to bind against a DATETIME slot.
     *
     * @throws IllegalArgumentException when the text has none of the accepted forms, or lies outside years
     *                                  0000–9999 in UTC; pre-flight should have rejected it
     */
    public static String toUtcSql(String text) {
        LocalDateTime utc = parse(text).orElseThrow(() -> new IllegalArgumentException("not a date-time (" + FORMS + "): " + text));
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            throw new IllegalArgumentException("date-time outside the DATETIME range: " + text);
        }
        return SQL.format(utc);
    }
}
