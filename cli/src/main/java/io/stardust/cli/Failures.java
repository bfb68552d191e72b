package io.stardust.cli;

import io.stardust.DlqReplayNotFoundException;
import io.stardust.EntryNotFoundException;
import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldNameConflictException;
import io.stardust.FieldNotFoundException;
import io.stardust.FieldNotSortableException;
import io.stardust.IncompatibleRetypeException;
import io.stardust.InvalidCursorException;
import io.stardust.InvalidModelDefinitionException;
import io.stardust.InvalidTenantIdException;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelNameConflictException;
import io.stardust.ModelNotFoundException;
import io.stardust.PageSizeOutOfRangeException;
import io.stardust.PayloadTooLargeException;
import io.stardust.QueryFilterValidationException;
import io.stardust.RenameInProgressException;
import io.stardust.RetypeInProgressException;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.config.ConfigException;
import io.stardust.daemon.process.ExitCode;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Maps failures to exit codes and one-line reasons on stderr: bad input exit 2 (usage and configuration problems,
 * and the engine's typed validation errors, which say the request was wrong, not the system), everything else
 * (the database is unreachable, a bug) exits 1. The full stack trace is only shown with {@code STARDUST_DEBUG=1}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int FATAL = ExitCode.FATAL;
    static final int USAGE = ExitCode.USAGE;

    /** The engine's exceptions that reject the caller's input; a retry with the same input fails the same way. */
    private static final List<Class<? extends RuntimeException>> INVALID_INPUT = List.of(
            ConfigException.class,
            UsageException.class,
            InvalidTenantIdException.class,
            InvalidModelDefinitionException.class,
            ModelNotFoundException.class,
            EntryNotFoundException.class,
            PageSizeOutOfRangeException.class,
            InvalidCursorException.class,
            FieldNotSortableException.class,
            QueryFilterValidationException.class,
            MalformedEntryPayloadException.class,
            UncoercibleSlotValueException.class,
            PayloadTooLargeException.class,
            DlqReplayNotFoundException.class,
            // field lifecycle refusals: the field or model named, or the change asked for, cannot be done now
            FieldNotFoundException.class,
            IncompatibleRetypeException.class,
            RetypeInProgressException.class,
            RenameInProgressException.class,
            FieldNameConflictException.class,
            ModelNameConflictException.class,
            FieldDeletionInProgressException.class,
            ModelDeletionInProgressException.class,
            // the tenant's active-export cap: this request is refused now (retry when an export ended)
            io.stardust.ExportJobActiveCapExceededException.class);

    static boolean isInvalidInput(Throwable e) {
        return INVALID_INPUT.stream().anyMatch(type -> type.isInstance(e));
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        boolean usage = isInvalidInput(e);
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
