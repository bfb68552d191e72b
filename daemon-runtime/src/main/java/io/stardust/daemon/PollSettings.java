package io.stardust.daemon;

import java.time.Duration;
import java.util.Objects;

/**
 * How long {@link PollLoop} waits after each kind of tick.
 *
 * @param idleInterval  the daemon's configured interval after an {@link TickOutcome#IDLE} tick
 *                      ({@code watcherPollIntervalSeconds}, {@code liberatorIdleIntervalSeconds}, …; the
 *                      Reconciler's is 0)
 * @param idleBackoff   the least an idle daemon ever sleeps, whatever its interval (Q7 fix: upstream's Reconciler
 *                      has interval 0 and spins against an empty database); {@code daemonIdleBackoff}
 * @param workDoneDelay the wait after a {@link TickOutcome#WORK_DONE} tick (an inter-chunk delay); zero by default,
 *                      in which case the loop does not sleep at all between busy ticks
 * @param capacityWait  the wait after a {@link TickOutcome#CAPACITY_WAIT} tick ({@code reconcilerCapacityWaitMillis})
 * @param slice         the longest single sleep; shutdown is re-checked before each slice, so a flag file is
 *                      noticed within one slice (upstream: 1 s)
 */
public record PollSettings(Duration idleInterval, Duration idleBackoff, Duration workDoneDelay, Duration capacityWait,
                           Duration slice) {

    public static final Duration DEFAULT_SLICE = Duration.ofSeconds(1);

    public PollSettings {
        requireNonNegative("idleInterval", idleInterval);
        requireNonNegative("idleBackoff", idleBackoff);
        requireNonNegative("workDoneDelay", workDoneDelay);
        requireNonNegative("capacityWait", capacityWait);
        requireNonNegative("slice", slice);
        if (slice.isZero()) {
            throw new IllegalArgumentException("slice must be positive");
        }
    }

    /**
     * Idle interval {@code idleInterval} with at least {@code idleBackoff}; no delay after work; a capacity wait as
     * long as an idle sleep; 1 s slices.
     */
    public static PollSettings of(Duration idleInterval, Duration idleBackoff) {
        Duration idleSleep = max(idleInterval, idleBackoff);
        return new PollSettings(idleInterval, idleBackoff, Duration.ZERO, idleSleep, DEFAULT_SLICE);
    }

    /** What the loop actually sleeps after an idle tick: the interval, but never less than the idle backoff. */
    public Duration idleSleep() {
        return max(idleInterval, idleBackoff);
    }

    public PollSettings withWorkDoneDelay(Duration delay) {
        return new PollSettings(idleInterval, idleBackoff, delay, capacityWait, slice);
    }

    public PollSettings withCapacityWait(Duration wait) {
        return new PollSettings(idleInterval, idleBackoff, workDoneDelay, wait, slice);
    }

    public PollSettings withSlice(Duration newSlice) {
        return new PollSettings(idleInterval, idleBackoff, workDoneDelay, capacityWait, newSlice);
    }

    /** The wait after a tick with this outcome. */
    public Duration sleepAfter(TickOutcome outcome) {
        return switch (outcome) {
            case WORK_DONE -> workDoneDelay;
            case IDLE -> idleSleep();
            case CAPACITY_WAIT -> capacityWait;
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
