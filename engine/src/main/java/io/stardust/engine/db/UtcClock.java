package io.stardust.engine.db;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** "UTC now" as StarDust writes it: the injected clock's instant in UTC, truncated to whole seconds. */
public final class UtcClock {
    private final Clock clock;

    public UtcClock(Clock clock) {
        this.clock = clock;
    }

    public LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }

    public Clock clock() {
        return clock;
    }
}
