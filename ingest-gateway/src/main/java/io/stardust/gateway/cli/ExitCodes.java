package io.stardust.gateway.cli;

/** Exit codes of the gateway's commands, as the rest of {@code bin/stardust}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FATAL = 1;
    /** Usage error, or nothing matched. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
