package io.stardust.daemon.process;

/** The exit codes of every long-running process (daemons, {@code serve}, the registry mirror, the gateway). */
public final class ExitCode {
    /** Clean stop: a signal, the shutdown flag file or an explicit request, drained within the shutdown timeout. */
    public static final int OK = 0;
    /** A fatal error: a start-up failure, an exception the process did not survive, or a drain that timed out. */
    public static final int FATAL = 1;
    /** Configuration error, or a refusal to run (singleton violation, a precondition of the environment). */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
