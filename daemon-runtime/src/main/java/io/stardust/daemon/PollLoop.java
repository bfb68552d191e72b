package io.stardust.daemon;

import io.stardust.daemon.process.ShutdownSignal;
import io.stardust.engine.db.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a {@link Tickable} until shutdown (with decisions Q7 and Q10 and outage retries):
 * <ol>
 *   <li>while no shutdown is requested: tick;</li>
 *   <li>wait according to the outcome ({@link PollSettings#sleepAfter}) — nothing after {@code WORK_DONE} unless a
 *       work-done delay is set, the idle interval (at least the idle backoff) after {@code IDLE}, the capacity wait
 *       after {@code CAPACITY_WAIT};</li>
 *   <li>a tick that throws a database outage waits the {@link DbOutagePolicy}'s delay and ticks again;
 *       any other exception leaves {@link #run} (the daemon is finished).</li>
 * </ol>
 * Every wait is cut into slices of at most {@link PollSettings#slice()} and shutdown is checked before each one,
 * so a flag file is noticed within one slice; a tick in progress is never interrupted.
 *
 * <p>Divergence from upstream, on purpose: upstream sleeps the interval after <em>every</em> tick, busy or idle,
 * and the Reconciler (interval 0) never sleeps when idle (Q7). Here a busy daemon continues at once and an idle
 * one always sleeps.
 */
public final class PollLoop {

    private final PollSettings settings;
    private final Sleeper sleeper;
    private final DbOutagePolicy outagePolicy;
    private final Observer observer;
    private long ticks;

    /** Sees every tick (for metrics). */
    public interface Observer {
        void ticked(TickOutcome outcome, Duration took);

        /** A tick threw; {@code retried}: the outage policy will tick again. */
        void failed(Throwable error, boolean retried);

        Observer NONE = new Observer() {
            @Override
            public void ticked(TickOutcome outcome, Duration took) {
            }

            @Override
            public void failed(Throwable error, boolean retried) {
            }
        };
    }

    public PollLoop(PollSettings settings, Sleeper sleeper, DbOutagePolicy outagePolicy) {
        this(settings, sleeper, outagePolicy, Observer.NONE);
    }

    public PollLoop(PollSettings settings, Sleeper sleeper, DbOutagePolicy outagePolicy, Observer observer) {
        this.settings = Objects.requireNonNull(settings);
        this.sleeper = Objects.requireNonNull(sleeper);
        this.outagePolicy = Objects.requireNonNull(outagePolicy);
        this.observer = Objects.requireNonNull(observer);
    }

    /**
     * Ticks until {@code shutdown} is requested and returns why it stopped.
     *
     * @throws Exception the first exception from a tick that the outage policy does not retry
     */
    public ShutdownSignal.Reason run(Tickable tickable, ShutdownSignal shutdown) throws Exception {
        try {
            while (!shutdown.isRequested()) {
                Duration wait;
                long started = System.nanoTime();
                try {
                    TickOutcome outcome = Objects.requireNonNull(tickable.tick(), "tick() returned null");
                    ticks++;
                    outagePolicy.onSuccess();
                    observer.ticked(outcome, Duration.ofNanos(System.nanoTime() - started));
                    wait = settings.sleepAfter(outcome);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    ticks++;
                    Optional<Duration> retryIn = outagePolicy.onFailure(e);
                    observer.failed(e, retryIn.isPresent());
                    if (retryIn.isEmpty()) {
                        throw e;
                    }
                    wait = retryIn.get();
                }
                sleepObservingShutdown(wait, shutdown);
            }
        } catch (InterruptedException e) {
            // Somebody interrupted the daemon thread: treat it as a request to stop, keep the flag for our caller.
            Thread.currentThread().interrupt();
            shutdown.request(ShutdownSignal.Reason.INTERRUPTED);
        }
        return shutdown.reason().orElse(ShutdownSignal.Reason.REQUESTED);
    }

    /** Ticks attempted so far, failed ones included. */
    public long ticks() {
        return ticks;
    }

    private void sleepObservingShutdown(Duration total, ShutdownSignal shutdown) throws InterruptedException {
        Duration remaining = total;
        while (!remaining.isZero() && !remaining.isNegative()) {
            if (shutdown.isRequested()) {
                return;
            }
            Duration slice = remaining.compareTo(settings.slice()) > 0 ? settings.slice() : remaining;
            sleeper.sleep(slice);
            remaining = remaining.minus(slice);
        }
    }
}
