package io.stardust.cli;

import io.stardust.StarDust;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/stardust}: one entry point for schema, entries, daemons and the demo. Exit codes: 0 success,
 * 1 fatal error, 2 usage error (and, for {@code entry:get}, not found).
 */
@Command(name = "stardust", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "StarDust on MySQL 8: schemaless per-tenant fields at native index speed.",
        subcommands = {
                BootstrapCommand.class,
                ModelDefineCommand.class,
                ModelDescribeCommand.class,
                ModelListCommand.class,
                ModelRenameCommand.class,
                ModelDeleteCommand.class,
                FieldRetypeCommand.class,
                FieldPromoteCommand.class,
                FieldDemoteCommand.class,
                FieldRenameCommand.class,
                FieldDeleteCommand.class,
                CompactModelCommand.class,
                LifecycleStatusCommand.class,
                ImportSubmitCommand.class,
                ImportStatusCommand.class,
                ImportRejectedCommand.class,
                ExportSubmitCommand.class,
                ExportStatusCommand.class,
                ExportDownloadCommand.class,
                SpreadReportCommand.class,
                CardinalityReportCommand.class,
                EntryWriteCommand.class,
                EntryGetCommand.class,
                SearchCommand.class,
                FilterCheckCommand.class,
                WatcherCommand.class,
                ReconcilerCommand.class,
                ReconcilerDlqListCommand.class,
                ReconcilerDlqReplayCommand.class,
                LiberatorCommand.class,
                ChroniclerCommand.class,
                ServeCommand.class,
                ApiKeyCreateCommand.class,
                ApiKeyRevokeCommand.class,
                ApiKeyListCommand.class,
                RegistryMirrorCommand.class,
                GatewayCommand.class,
                StreamsCommand.class,
                IngestDlqListCommand.class,
                IngestDlqReplayCommand.class,
                io.stardust.cli.demo.PipelineDemo.class,
                io.stardust.cli.stack.StackCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        // Before anything touches SLF4J: building the command tree can, and logback reads the level only once.
        if (System.getProperty("stardust.log.level") == null) {
            String env = System.getenv("STARDUST_LOG_LEVEL");
            System.setProperty("stardust.log.level", env != null ? env : defaultLogLevel(args));
        }
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler(new Failures());
        // demo --resume COMMAND ARGS...: everything after COMMAND is COMMAND's, options included
        cli.getSubcommands().get("demo").setStopAtPositional(true);
        withExitCodes(cli);
        cli.getSubcommands().values().forEach(Main::withExitCodes);
        return cli;
    }

    /** Every command's help ends with its exit codes: its own list, or the ones {@link Failures} gives every command. */
    private static void withExitCodes(CommandLine cmd) {
        CommandLine.Model.UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty()) {
            usage.exitCodeListHeading("Exit codes:%n").exitCodeList(new TreeMap<>(Map.of(
                    "0", "success",
                    "1", "a failure: the database unreachable, a bug",
                    "2", "bad input: a usage, configuration or validation error")));
        }
    }

    /** Daemons narrate what they do; one-shot commands stay quiet unless something is wrong. */
    private static String defaultLogLevel(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return switch (a) {
                    case "watcher", "reconciler", "liberator", "chronicler", "gateway", "streams", "serve", "registry-mirror", "stack" -> "INFO";
                    // the demo quarantines a poison record on purpose and says so; the warning would only interleave
                    case "demo" -> "ERROR";
                    default -> "WARN";
                };
            }
        }
        return "WARN";
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stardust " + StarDust.VERSION};
        }
    }
}
