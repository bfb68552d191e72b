package io.stardust.engine.crash;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fail-point hook for the crash tests of every process: with {@code <variable>=<point>:<n>} in the environment, the
 * thread that reaches {@code point} for the n-th time prints {@code crash point reached: <point>} on stdout and
 * stops there for good, so the test can SIGKILL the process exactly at that step. Unset (always, in production), it
 * does nothing. Each process names its own variable and documents its points next to it (the gateway:
 * {@code GatewayApp.HOLD_AT_ENV}; the Chronicler: {@code ChroniclerDaemon.HOLD_AT_ENV}).
 */
public final class HoldPoints {
    public static final HoldPoints NONE = new HoldPoints(null, 0);

    private final String point;
    private final int at;
    private final AtomicInteger seen = new AtomicInteger();

    private HoldPoints(String point, int at) {
        this.point = point;
        this.at = at;
    }

    /** The hold point {@code variable} names in {@code env}, or {@link #NONE}. */
    public static HoldPoints fromEnvironment(String variable, Map<String, String> env) {
        String spec = env.get(variable);
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
