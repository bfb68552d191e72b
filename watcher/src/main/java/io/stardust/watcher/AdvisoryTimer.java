package io.stardust.watcher;

/**
 * When the advisory samples fall due. The first due time is at a random phase within one interval,
 * so a fleet started together does not sample together; after each sample the next is due one interval later, plus
 * or minus a fresh jitter. Times are epoch seconds. The due time itself lives in {@code stardust_advisory_schedule}
 * ({@link SampleSchedule}), shared by every Watcher.
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

    public AdvisoryTimer(long intervalSeconds, long jitterSeconds, Jitter jitter) {
        this.intervalSeconds = intervalSeconds;
        this.jitterSeconds = Math.min(jitterSeconds, intervalSeconds);
        this.jitter = jitter;
    }

    /** The first sample's due time when nothing is scheduled yet. */
    public long firstDue(long nowEpochSeconds) {
        return intervalSeconds > 0 ? nowEpochSeconds + jitter.between(0, intervalSeconds) : nowEpochSeconds;
    }

    /** The next sample's due time after sampling now. */
    public long nextDue(long nowEpochSeconds) {
        long offset = jitterSeconds == 0 ? 0 : jitter.between(-jitterSeconds, jitterSeconds);
        return nowEpochSeconds + intervalSeconds + offset;
    }
}
