package io.stardust.watcher;

/**
 * When the Watcher runs its advisory samplers (spec §8.1.7). The first poll only schedules, at a random phase
 * within one interval, so a fleet of Watchers started together does not sample together; after each sample the
 * next is due one interval later, plus or minus a fresh jitter. Times are epoch seconds.
 */
public final class AdvisoryTimer {

    /** Random offsets; {@code between(min, max)} is inclusive at both ends. */
    @FunctionalInterface
    public interface Jitter {
        long between(long min, long max);

        static Jitter random() {
            return (min, max) -> min >= max ? min : java.util.concurrent.ThreadLocalRandom.current().nextLong(min, max + 1);
        }
    }

    private final long intervalSeconds;
    private final long jitterSeconds;
    private final Jitter jitter;
    private Long due;

    public AdvisoryTimer(long intervalSeconds, long jitterSeconds, Jitter jitter) {
        this.intervalSeconds = intervalSeconds;
        this.jitterSeconds = Math.min(jitterSeconds, intervalSeconds);
        this.jitter = jitter;
    }

    /** True when a sample is due now; the caller then samples and the next time is already scheduled. */
    public boolean poll(long nowEpochSeconds) {
        if (due == null) {
            due = intervalSeconds > 0 ? nowEpochSeconds + jitter.between(0, intervalSeconds) : nowEpochSeconds;
            return false;
        }
        if (nowEpochSeconds < due) {
            return false;
        }
        long offset = jitterSeconds == 0 ? 0 : jitter.between(-jitterSeconds, jitterSeconds);
        due = nowEpochSeconds + intervalSeconds + offset;
        return true;
    }

    /** The next due time, once scheduled. */
    public Long due() {
        return due;
    }
}
