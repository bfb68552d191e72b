package io.stardust.daemon;

/**
 * What one {@link Tickable#tick()} achieved. The outcome, not the daemon, decides how long {@link PollLoop} waits
 * before the next tick (the README's compatibility note Q7).
 */
public enum TickOutcome {
    /**
     * Work was done and more may be waiting: tick again at once, after the optional work-done (inter-chunk) delay.
     */
    WORK_DONE,
    /**
     * Every work source was empty: sleep the idle interval, and never less than the idle backoff, so that no
     * daemon spins against an empty database (Q7).
     */
    IDLE,
    /**
     * Work exists but cannot progress until capacity appears (the Reconciler waiting for a slot): sleep the
     * capacity wait.
     */
    CAPACITY_WAIT
}
