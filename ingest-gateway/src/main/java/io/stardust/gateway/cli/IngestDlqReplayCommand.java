package io.stardust.gateway.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.progress.Progress;
import io.stardust.gateway.GatewayConfig;
import io.stardust.gateway.cli.GatewayApp;
import io.stardust.ingest.dlq.DlqDiscarder;
import io.stardust.ingest.dlq.DlqFilter;
import io.stardust.ingest.dlq.DlqReplayer;
import io.stardust.ingest.dlq.DlqRow;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stardust ingest:dlq:replay}: re-drives quarantined records through the gateway's write path, or with
 * {@code --discard} deletes them. Exit 0 when rows matched (even if some failed again: they stay quarantined
 * with one more attempt), 2 on a usage error or when nothing matched, 1 on an error.
 */
@Command(name = "ingest:dlq:replay", mixinStandardHelpOptions = true,
        description = {"Replay quarantined records (after fixing their cause) through the same write path, exactly once.",
                "With --discard, delete them instead (each one logged as a dlq_row_discarded event)."})
public final class IngestDlqReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Mixin
    DlqFilterOptions filter = new DlqFilterOptions();
    @Option(names = "--all", description = "Every quarantined record (required when no filter is given).")
    boolean all;
    @Option(names = "--discard", description = "Delete the matching rows instead of replaying them: the records are given up.")
    boolean discard;
    @Option(names = "--dry-run", description = "Report what would land (or be discarded); change nothing.")
    boolean dryRun;
    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Leave rows alone that were tried N times already (default: gatewayDlqMaxAttempts, 5). Not with --discard.")
    String maxAttempts;
    @Option(names = "--limit", defaultValue = "100000", description = "Most rows, oldest first (default ${DEFAULT-VALUE}).")
    String limit;
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
        String self = "stardust ingest:dlq:replay: ";
        if (!filter.any() && !all) {
            err.println(self + "give --id, --reason, --tenant or --older-than, or --all");
            return ExitCodes.USAGE;
        }
        if (discard && maxAttempts != null) {
            err.println(self + "--max-attempts limits replays; --discard deletes whatever matches");
            return ExitCodes.USAGE;
        }
        DlqFilter rows;
        ConfigValues values;
        int attempts;
        try {
            rows = filter.toFilter(null, limit);
            values = config.values();
            attempts = maxAttempts != null ? DlqFilterOptions.count(maxAttempts, "--max-attempts")
                    : values.get(GatewayConfig.DLQ_MAX_ATTEMPTS);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println(self + e.getMessage());
            return ExitCodes.USAGE;
        }
        UtcClock clock = new UtcClock(Clock.systemUTC());
        try (HikariDataSource ds = DbCommands.pool(values)) {
            int maxRecordBytes = values.get(GatewayConfig.MAX_RECORD_BYTES);
            DlqReplayer replayer = new DlqReplayer(ds, new RecordPlanner(new ModelResolver(), maxRecordBytes), clock, maxRecordBytes);
            int total = replayer.matching(rows).size();
            if (total == 0) {
                err.println("no quarantined records match");
                return ExitCodes.USAGE;
            }
            String task = "ingest:dlq:replay" + (discard ? " --discard" : "") + (dryRun ? " (dry run)" : "");
            try (Progress progress = noProgress ? Progress.none() : Progress.onStderr(task, "records", total)) {
                if (discard) {
                    printDiscarded(out, total, new DlqDiscarder(ds, clock).discard(rows, dryRun, progress::advance));
                } else {
                    printReplayed(out, attempts, replayer.replay(rows, attempts, dryRun, progress::advance));
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (Exception e) {
            err.println(self + e);
            return ExitCodes.FATAL;
        }
    }

    private void printReplayed(PrintWriter out, int attempts, DlqReplayer.Report report) {
        out.printf("%s%d matched: %d landed, %d failed again, %d over the attempt limit (%d)%n", dryRun ? "dry run, nothing changed: " : "",
                report.matched(), report.landed(), report.stillFailed(), report.overLimit(), attempts);
        for (Rejected r : report.failures()) {
            out.printf("  still failing: %s/%d@%d %s: %s%n", r.source().topic(), r.source().partition(), r.source().offset(),
                    r.reason().code(), IngestDlqListCommand.oneLine(r.message(), 160));
        }
    }

    private void printDiscarded(PrintWriter out, int matched, List<DlqRow> discarded) {
        out.printf("%s%d matched: %d %s%n", dryRun ? "dry run, nothing changed: " : "", matched, discarded.size(),
                dryRun ? "would be discarded" : "discarded");
        for (DlqRow r : discarded) {
            out.printf("  %s: id %d %s/%d@%d %s tenant %s%n", dryRun ? "would discard" : "discarded", r.id(), r.topic(),
                    r.partition(), r.offset(), r.reason(), r.tenantId() == null ? "-" : r.tenantId());
        }
    }
}
