package io.stardust.chronicler;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fail-point hook for the crash tests: with {@code STARDUST_CHRONICLER_TEST_HOLD_AT=<point>:<n>} the worker that
 * reaches {@code point} for the n-th time prints {@code crash point reached: <point>} on stdout and stops there for
 * good, so the test can SIGKILL the process exactly at that step. Unset (always, in production), it does nothing.
 * The points are the rows of the crash table in the module README: {@code mid_chunk}, {@code after_chunk_commit},
 * {@code before_completion}.
 */
public final class HoldPoints {
    public static final String ENV = "STARDUST_CHRONICLER_TEST_HOLD_AT";
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

    void reached(String name) {
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
