package io.stardust.daemon;

import io.stardust.engine.db.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * Virtual time for loop tests: a {@link Sleeper} that returns at once, records every requested duration and
 * advances a {@link Clock}; an optional hook runs on each sleep (with the 1-based call number) so a test can act
 * "while the daemon sleeps" — create a flag file, restart a server, request shutdown.
 */
final class FakeTime implements Sleeper {
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final Instant start = Instant.parse("2025-01-01T00:00:00Z");
    private volatile Duration elapsed = Duration.ZERO;
    private volatile IntConsumer onSleep = n -> { };

    FakeTime onSleep(IntConsumer hook) {
        this.onSleep = hook;
        return this;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        elapsed = elapsed.plus(duration);
        onSleep.accept(sleeps.size());
    }

    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    Duration totalSlept() {
        return elapsed;
    }

    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return start.plus(elapsed);
            }
        };
    }
}
