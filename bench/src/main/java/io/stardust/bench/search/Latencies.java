package io.stardust.bench.search;

import java.util.Arrays;

/** Latency percentiles by nearest rank over one measurement's samples. */
record Latencies(long p50Nanos, long p99Nanos, double meanNanos, int samples) {

    static Latencies of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(rank(sorted, 0.50), rank(sorted, 0.99), Arrays.stream(sorted).average().orElse(0),
                sorted.length);
    }

    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    double p50Millis() {
        return p50Nanos / 1e6;
    }

    double p99Millis() {
        return p99Nanos / 1e6;
    }

    double meanMillis() {
        return meanNanos / 1e6;
    }
}
