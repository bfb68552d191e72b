package io.stardust.bench;

import java.util.Arrays;

/** Latency percentiles by nearest rank over one measurement's samples. */
public record Latencies(long p50Nanos, long p99Nanos, long maxNanos, double meanNanos, int samples) {

    public static Latencies of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(rank(sorted, 0.50), rank(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                Arrays.stream(sorted).average().orElse(0), sorted.length);
    }

    private static long rank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public double p50Millis() {
        return p50Nanos / 1e6;
    }

    public double p99Millis() {
        return p99Nanos / 1e6;
    }

    public double maxMillis() {
        return maxNanos / 1e6;
    }

    public double meanMillis() {
        return meanNanos / 1e6;
    }
}
