package io.stardust.gateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A reachability check run in the background (by {@link GatewayHealth}'s scheduler), so {@code /health} answers from
 * its latest result at once and cannot be made to wait on, or to multiply, queries to MySQL or the broker. A probe
 * still running after its timeout counts as down (MySQL's connect wait alone can exceed any sensible timeout).
 */
final class Probe implements Runnable {
    /** The check itself: returns normally when the dependency answered, throws when it did not. */
    @FunctionalInterface
    interface Action {
        void run(Duration timeout) throws Exception;
    }

    private final String name;
    private final Action action;
    private final Duration timeout;
    private final Clock clock;
    private volatile CheckResult last = CheckResult.failing("pending", "not probed yet", Map.of());
    private volatile Instant runningSince;

    Probe(String name, Action action, Duration timeout, Clock clock) {
        this.name = name;
        this.action = action;
        this.timeout = timeout;
        this.clock = clock;
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        runningSince = clock.instant();
        try {
            action.run(timeout);
            last = CheckResult.ok(Map.of());
        } catch (TimeoutException e) {
            last = noAnswer();
        } catch (Exception e) {
            last = CheckResult.failing("down", describe(e), Map.of());
        } finally {
            runningSince = null;
        }
    }

    CheckResult result() {
        Instant since = runningSince;
        if (since != null && Duration.between(since, clock.instant()).compareTo(timeout) > 0) {
            return noAnswer();
        }
        return last;
    }

    private CheckResult noAnswer() {
        return CheckResult.failing("down", "no answer within " + timeout.toMillis() + " ms", Map.of());
    }

    /** The innermost message (drivers wrap the useful one), without stack or class noise where possible. */
    private static String describe(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
