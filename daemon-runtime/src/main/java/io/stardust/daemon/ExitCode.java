package io.stardust.daemon;

/** Process exit codes of the daemon commands (spec §12). */
public final class ExitCode {
    /** Clean stop: a signal, the shutdown flag file, or an explicit request. */
    public static final int OK = 0;
    /** A fatal error: an exception a tick did not survive, or a start-up failure. */
    public static final int FATAL = 1;
    /** Singleton violation or user error (bad configuration). */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
