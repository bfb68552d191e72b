package io.stardust.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code perSecond} requests a second on average, bursts up to {@code perSecond}.
 * Buckets live as long as the process (one small object per key that ever called).
 */
final class RateLimiter {
    private final double perSecond;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond 0 disables the limit */
    RateLimiter(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    /** 0 when the request may go ahead (and is counted), else the whole seconds to wait before retrying (at least 1). */
    long acquire(long keyId) {
        if (perSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(keyId, k -> new Bucket(perSecond, nanoTime.getAsLong())).take(nanoTime.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double waitNanos = (1 - tokens) / perSecond * 1e9;
            return Math.max(1, (long) Math.ceil(waitNanos / TimeUnit.SECONDS.toNanos(1)));
        }
    }
}
