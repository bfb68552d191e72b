package io.stardust.gateway.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.progress.Progress;
import io.stardust.gateway.GatewayApp;
import io.stardust.gateway.GatewayConfig;
import io.stardust.gateway.dlq.DlqReplayer;
import io.stardust.gateway.ingest.ModelResolver;
import io.stardust.gateway.ingest.RecordPlanner;
import io.stardust.gateway.ingest.RecordPlanner.Rejected;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stardust ingest:dlq:replay}: re-drives quarantined records through the gateway's write path. Exit 0 when
 * rows matched (even if some failed again: they stay quarantined with one more attempt), 2 on a usage error or
 * when nothing matched, 1 on an error.
 */
@Command(name = "ingest:dlq:replay", mixinStandardHelpOptions = true,
        description = "Replay quarantined records (after fixing their cause) through the same write path, exactly once.")
public final class IngestDlqReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Mixin
    DlqFilterOptions filter = new DlqFilterOptions();
    @Option(names = "--all", description = "Replay every quarantined record (required when no filter is given).")
    boolean all;
    @Option(names = "--dry-run", description = "Plan and write inside a transaction that is rolled back; report what would land.")
    boolean dryRun;
    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Leave rows alone that were tried N times already (default: gatewayDlqMaxAttempts, 5).")
    Integer maxAttempts;
    @Option(names = "--limit", defaultValue = "100000", description = "Most rows to replay, oldest first (default ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--no-progress", description = "No progress on stderr.")
    boolean noProgress;
    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        GatewayApp.useNdjsonLogging();
        System.exit(new CommandLine(new IngestDlqReplayCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!filter.any() && !all) {
            err.println("stardust ingest:dlq:replay: give --id, --reason, --tenant or --older-than, or --all");
            return ExitCodes.USAGE;
        }
        ConfigValues values;
        try {
            values = config.values();
        } catch (ConfigException e) {
            return ConfigOptions.usageError(e);
        }
        int attempts = maxAttempts != null ? maxAttempts : values.get(GatewayConfig.DLQ_MAX_ATTEMPTS);
        try (HikariDataSource ds = DbCommands.pool(values)) {
            DlqReplayer replayer = new DlqReplayer(ds, new RecordPlanner(new ModelResolver(),
                    values.get(GatewayConfig.MAX_RECORD_BYTES)), new UtcClock(Clock.systemUTC()));
            int total = replayer.matching(filter.toFilter(null, limit)).size();
            if (total == 0) {
                err.println("no quarantined records match");
                return ExitCodes.USAGE;
            }
            DlqReplayer.Report report;
            try (Progress progress = noProgress ? Progress.none()
                    : Progress.onStderr(dryRun ? "ingest:dlq:replay (dry run)" : "ingest:dlq:replay", "records", total)) {
                report = replayer.replay(filter.toFilter(null, limit), attempts, dryRun, progress::advance);
            }
            out.printf("%s%d matched: %d landed, %d failed again, %d over the attempt limit (%d)%n", dryRun ? "dry run, nothing changed: " : "",
                    report.matched(), report.landed(), report.stillFailed(), report.overLimit(), attempts);
            for (Rejected r : report.failures()) {
                out.printf("  still failing: %s/%d@%d %s: %s%n", r.source().topic(), r.source().partition(), r.source().offset(),
                        r.reason().code(), IngestDlqListCommand.oneLine(r.message(), 160));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (Exception e) {
            err.println("stardust ingest:dlq:replay: " + e);
            return ExitCodes.FATAL;
        }
    }
}
