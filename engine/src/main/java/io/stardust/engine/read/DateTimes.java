package io.stardust.engine.read;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** StarDust's datetime text: {@code YYYY-MM-DD HH:MM:SS}, UTC, no zone suffix. */
public final class DateTimes {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private DateTimes() {
    }

    public static String format(LocalDateTime t) {
        return t == null ? null : FORMAT.format(t);
    }
}
