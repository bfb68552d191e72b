package io.stardust.cli;

import io.stardust.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Maps failures to exit codes and one-line reasons on stderr: usage and configuration problems exit 2, everything
 * else exits 1. The full stack trace is only shown with {@code STARDUST_DEBUG=1}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int FATAL = 1;
    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        boolean usage = e instanceof ConfigException || e instanceof UsageException;
        cmd.getErr().println("stardust " + cmd.getCommandName() + ": " + (usage ? "" : "error: ") + oneLine(e));
        if (System.getenv("STARDUST_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return usage ? USAGE : FATAL;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("stardust: " + e.getMessage());
        cmd.getErr().println("Try 'stardust " + (cmd.getParent() == null ? "" : cmd.getCommandName() + " ") + "--help'.");
        return USAGE;
    }

    /** The most specific message in the cause chain, on one line. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        String text = message == null ? e.getClass().getSimpleName() : message;
        return text.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
