package io.stardust.daemon;

/**
 * One bounded unit of a daemon's work. {@link #tick()} never loops internally: the {@link PollLoop} owns the
 * loop, the sleeping and the shutdown checks, so a tick in progress is always allowed to finish and a shutdown is
 * observed between ticks.
 *
 * <p>A daemon with several work sources (the Reconciler) returns {@link TickOutcome#WORK_DONE} if any source did
 * work, {@link TickOutcome#CAPACITY_WAIT} if one is waiting for capacity, and {@link TickOutcome#IDLE} only when
 * every source was empty. A daemon that wants a fixed cadence whatever happened (upstream's Watcher polls every
 * {@code watcherPollIntervalSeconds}) returns {@code IDLE} from every tick.
 *
 * <p>If the instance also implements {@link AutoCloseable}, {@link DaemonRunner} closes it when the loop ends.
 */
@FunctionalInterface
public interface Tickable {

    /**
     * Does one unit of work. Checked exceptions are allowed because ticks are mostly JDBC; an exception that
     * {@link DbOutagePolicy} classifies as a transient connection error is retried after a backoff, any other
     * exception ends the daemon with exit code 1.
     */
    TickOutcome tick() throws Exception;
}
