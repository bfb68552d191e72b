package io.stardust.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.cli.progress.Progress;
import io.stardust.gateway.GatewayConfig;
import io.stardust.ingest.dlq.DlqDiscarder;
import io.stardust.ingest.dlq.DlqFilter;
import io.stardust.ingest.dlq.DlqReplayer;
import io.stardust.ingest.dlq.DlqRow;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code stardust ingest:dlq:replay}: re-drives quarantined records through the gateway's write path, or with
 * {@code --discard} deletes them.
 */
@Command(name = "ingest:dlq:replay", mixinStandardHelpOptions = true,
        description = {"Replay quarantined records (after fixing their cause) through the same write path, exactly once.",
                "Select with --id (wins over the other filters), any of --reason, --tenant, --older-than, or --all.",
                "Rows tried --max-attempts (gatewayDlqMaxAttempts) times already are left alone and counted.",
                "With --discard, delete them instead (each one logged as a dlq_row_discarded event)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:rows matched (also when some failed again: they stay quarantined with one more attempt)",
                "1:any other error",
                "2:no selector, a bad option, or no matching row (nothing changed)"})
final class IngestDlqReplayCommand implements Callable<Integer> {
    @Mixin
    DlqOptions options;
    @Mixin
    DlqChangeOptions change;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        change.check(options);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigValues values = GatewayConfig.definition().resolve(options.configFile);
        int attempts = change.maxAttempts(values.get(GatewayConfig.DLQ_MAX_ATTEMPTS));
        DlqFilter rows = filter(options, err, spec.name(), change.limit);
        UtcClock clock = new UtcClock(Clock.systemUTC());
        try (HikariDataSource ds = DlqOptions.open(StarDustConfig.from(values))) {
            int maxRecordBytes = values.get(GatewayConfig.MAX_RECORD_BYTES);
            DlqReplayer replayer = new DlqReplayer(ds, new RecordPlanner(new ModelResolver(), maxRecordBytes), clock, maxRecordBytes);
            int total = replayer.matching(rows).size();
            if (total == 0) {
                throw new UsageException("no quarantined records match");
            }
            String task = "ingest:dlq:replay" + (change.discard ? " --discard" : "") + (change.dryRun ? " (dry run)" : "");
            try (Progress progress = change.noProgress ? Progress.none() : Progress.onStderr(task, "records", total)) {
                if (change.discard) {
                    printDiscarded(out, total, new DlqDiscarder(ds, clock).discard(rows, change.dryRun, progress::advance));
                } else {
                    printReplayed(out, attempts, replayer.replay(rows, attempts, change.dryRun, progress::advance));
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The gateway's filter from the shared options; {@code limit} 0 = all. */
    static DlqFilter filter(DlqOptions options, PrintWriter err, String command, long limit) {
        if (options.idsWin(err, command)) {
            return new DlqFilter(options.ids, null, null, null, null, DlqOptions.rows(limit));
        }
        return new DlqFilter(List.of(), options.reason, options.tenant, options.age(), null, DlqOptions.rows(limit));
    }

    private void printReplayed(PrintWriter out, int attempts, DlqReplayer.Report report) {
        out.printf("%s%d matched: %d landed, %d failed again, %d over the attempt limit (%d)%n",
                change.dryRun ? "dry run, nothing changed: " : "", report.matched(), report.landed(), report.stillFailed(),
                report.overLimit(), attempts);
        for (Rejected r : report.failures()) {
            out.printf("  still failing: %s/%d@%d %s: %s%n", r.source().topic(), r.source().partition(), r.source().offset(),
                    r.reason().code(), IngestDlqListCommand.oneLine(r.message(), 160));
        }
    }

    private void printDiscarded(PrintWriter out, int matched, List<DlqRow> discarded) {
        out.printf("%s%d matched: %d %s%n", change.dryRun ? "dry run, nothing changed: " : "", matched, discarded.size(),
                change.dryRun ? "would be discarded" : "discarded");
        for (DlqRow r : discarded) {
            out.printf("  %s: id %d %s/%d@%d %s tenant %s%n", change.dryRun ? "would discard" : "discarded", r.id(), r.topic(),
                    r.partition(), r.offset(), r.reason(), r.tenantId() == null ? "-" : r.tenantId());
        }
    }
}
