package io.stardust.gateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether the consumer is making progress, from what the ingest loop already reports: its lag (about once a second
 * while it runs) and each committed batch. Healthy while the loop runs and reports, and records never wait longer
 * than the stall timeout without a batch committing.
 */
public final class ConsumerProgress {
    private final Clock clock;
    private final Duration stallTimeout;
    private final BooleanSupplier loopRunning;
    private final Instant started;
    private volatile long lag;
    private volatile Instant lastReport;
    private volatile Instant lastCommit;
    private volatile Instant waitingSince;

    public ConsumerProgress(Clock clock, Duration stallTimeout, BooleanSupplier loopRunning) {
        this.clock = clock;
        this.stallTimeout = stallTimeout;
        this.loopRunning = loopRunning;
        this.started = clock.instant();
    }

    /** The loop's lag report: records in the topic not yet durable (buffered and in flight included). */
    public void lagReported(long records) {
        Instant now = clock.instant();
        if (records > 0 && waitingSince == null) {
            waitingSince = now;
        } else if (records == 0) {
            waitingSince = null;
        }
        lag = records;
        lastReport = now;
    }

    public void committed() {
        lastCommit = clock.instant();
    }

    CheckResult result() {
        Instant now = clock.instant();
        long records = lag;
        Map<String, Object> facts = Map.of("lag", records);
        if (!loopRunning.getAsBoolean()) {
            return CheckResult.failing("down", "the consumer loop has stopped", facts);
        }
        Instant report = lastReport == null ? started : lastReport;
        if (Duration.between(report, now).compareTo(stallTimeout) > 0) {
            return CheckResult.failing("stalled", "the consumer loop has not reported for "
                    + Duration.between(report, now).toSeconds() + " s", facts);
        }
        Instant waiting = waitingSince;
        if (records > 0 && waiting != null) {
            Instant commit = lastCommit;
            Instant since = commit != null && commit.isAfter(waiting) ? commit : waiting;
            if (Duration.between(since, now).compareTo(stallTimeout) > 0) {
                return CheckResult.failing("stalled", records + " records waiting and no batch committed for "
                        + Duration.between(since, now).toSeconds() + " s", facts);
            }
        }
        return CheckResult.ok(facts);
    }
}
