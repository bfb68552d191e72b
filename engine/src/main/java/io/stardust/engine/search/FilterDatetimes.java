package io.stardust.engine.search;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datetime filter values. Pre-flight admits RFC 3339 text with a capital {@code T}, an optional 1–6 digit
 * fraction and {@code Z} or {@code ±HH:MM}. Upstream bound that text as-is and let MySQL compare it with the
 * DATETIME column (quirk Q18); we bind the UTC instant as {@code yyyy-MM-dd HH:mm:ss} instead, which every MySQL 8
 * understands and which is exactly how the write path stores datetime slots. The fraction is truncated, as on
 * writes, so filtering on the very string that was written finds it.
 */
public final class FilterDatetimes {
    private static final Pattern RFC3339 = Pattern.compile(
            "^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})$");
    private static final Pattern SQL_UTC = Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})$");
    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private FilterDatetimes() {
    }

    /**
     * The UTC date-time of an RFC 3339 value in the form pre-flight admits, or empty when the text does not have
     * that form or names no real date-time (Feb 30, hour 24, offset beyond ±18:00).
     */
    public static Optional<LocalDateTime> parseRfc3339(String text) {
        Matcher m = RFC3339.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = localDateTime(m);
            ZoneOffset offset = m.group(7).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(7));
            return Optional.of(local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The value to bind against a DATETIME slot: an RFC 3339 value converted to UTC, or a value already in the
     * stored form {@code yyyy-MM-dd HH:mm:ss} (UTC) unchanged.
     *
     * @throws IllegalArgumentException for anything else, or a result outside years 0000–9999; pre-flight should
     *                                  have rejected it
     */
    public static String toUtcSql(String text) {
        LocalDateTime utc = parseRfc3339(text).orElseGet(() -> parseStoredForm(text));
        if (utc == null) {
            throw new IllegalArgumentException("not an RFC 3339 date-time: " + text);
        }
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            throw new IllegalArgumentException("date-time outside the DATETIME range: " + text);
        }
        return SQL.format(utc);
    }

    private static LocalDateTime parseStoredForm(String text) {
        Matcher m = SQL_UTC.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            return localDateTime(m);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalDateTime localDateTime(Matcher m) {
        return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)));
    }
}
