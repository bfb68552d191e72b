package io.stardust.ingest.write;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fail-point hook for crash tests: with {@code STARDUST_GATEWAY_TEST_HOLD_AT=<point>:<n>} the thread that reaches
 * {@code point} for the n-th time prints {@code crash point reached: <point>} on stdout and stops there for good,
 * so the test can SIGKILL the process exactly at that step. Unset (always, in production), it does nothing.
 *
 * <p>The points are the write path's crash points: {@code before_commit} (every statement of a batch executed,
 * COMMIT not sent), {@code after_commit} (committed, the consumer not yet told), {@code relay_before_send}
 * (outbox rows read, nothing sent), {@code relay_after_send} (every send acknowledged, rows not yet deleted).
 */
public final class HoldPoints {
    public static final String ENV = "STARDUST_GATEWAY_TEST_HOLD_AT";
    public static final HoldPoints NONE = new HoldPoints(null, 0);

    private final String point;
    private final int at;
    private final AtomicInteger seen = new AtomicInteger();

    private HoldPoints(String point, int at) {
        this.point = point;
        this.at = at;
    }

    public static HoldPoints fromEnvironment(Map<String, String> env) {
        String spec = env.get(ENV);
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        String[] parts = spec.split(":");
        return new HoldPoints(parts[0].trim(), parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 1);
    }

    public void reached(String name) {
        if (point == null || !point.equals(name) || seen.incrementAndGet() != at) {
            return;
        }
        System.out.println("crash point reached: " + name);
        System.out.flush();
        while (true) {
            LockSupport.park(this);
        }
    }
}
