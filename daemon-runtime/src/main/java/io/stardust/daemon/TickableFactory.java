package io.stardust.daemon;

/**
 * Creates a daemon's {@link Tickable}. {@link DaemonRunner} calls it only after the singleton guard is held and
 * the shutdown handling is in place, so a refused second instance never opens database connections and a
 * signal during start-up still ends the process cleanly.
 */
@FunctionalInterface
public interface TickableFactory {
    Tickable create() throws Exception;
}
