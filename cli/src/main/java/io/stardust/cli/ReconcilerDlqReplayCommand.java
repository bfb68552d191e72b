package io.stardust.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.cli.progress.Progress;
import io.stardust.reconciler.DlqDiscarder;
import io.stardust.reconciler.DlqEntry;
import io.stardust.reconciler.DlqFilter;
import io.stardust.reconciler.DlqReplayer;
import io.stardust.reconciler.ReconcilerConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * Puts DLQ rows back on the sync queue and deletes them, in one transaction (upstream's
 * {@code reconciler:dlq:replay}), with filters, a dry run, progress on stderr and the loop guard; or, with
 * {@code --discard}, deletes them without re-enqueuing.
 */
@Command(name = "reconciler:dlq:replay", mixinStandardHelpOptions = true,
        description = {"Re-enqueue DLQ rows into stardust_sync_queue and delete them, in one transaction.",
                "Select with --id (wins over the other filters), any of --reason, --tenant, --older-than, or --all.",
                "Rows replayed --max-attempts (reconcilerDlqMaxAttempts) times already are held back and reported, not re-enqueued.",
                "With --discard the rows are deleted and nothing is re-enqueued: the entries keep their JSON, but the fields"
                        + " that failed to sync stay out of their slots until the entry is written again."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done (also when rows were held back)",
                "1:any other error (nothing changed)",
                "2:no selector, a bad option, or no matching row (nothing changed)"})
final class ReconcilerDlqReplayCommand implements Callable<Integer> {
    /** Replays of at least this many rows report progress on stderr. */
    static final int PROGRESS_THRESHOLD = 1000;
    private static final int LISTED_IDS = 100;

    @Mixin
    DlqOptions options;
    @Mixin
    DlqChangeOptions change;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        change.check(options);
        DlqFilter filter = filter(options, spec.commandLine().getErr(), spec.name(), change.limit);
        ConfigValues values = ReconcilerConfig.deployableDefinition().resolve(options.configFile);
        try (HikariDataSource ds = DlqOptions.open(StarDustConfig.from(values))) {
            UtcClock clock = new UtcClock(Clock.systemUTC());
            if (change.discard) {
                return discard(new DlqDiscarder(ds, clock), filter);
            }
            DlqReplayer replayer = new DlqReplayer(ds, clock, change.maxAttempts(values.get(ReconcilerConfig.DLQ_MAX_ATTEMPTS)));
            return change.dryRun ? dryRun(replayer, filter) : replay(replayer, filter);
        }
    }

    /** The reconciler's filter from the shared options; {@code limit} 0 = all. */
    static DlqFilter filter(DlqOptions options, PrintWriter err, String command, long limit) {
        int rows = limit == 0 ? 0 : DlqOptions.rows(limit);
        if (options.idsWin(err, command)) {
            return new DlqFilter(options.ids, null, null, null, rows);
        }
        return new DlqFilter(List.of(), options.reason, options.tenant, options.age(), rows);
    }

    private int discard(DlqDiscarder discarder, DlqFilter filter) {
        List<DlqEntry> rows = discarder.discard(filter, change.dryRun);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s%d matched: %d %s%n", change.dryRun ? "dry run, nothing changed: " : "", rows.size(), rows.size(),
                change.dryRun ? "would be discarded" : "discarded");
        for (DlqEntry r : rows) {
            out.printf("  %s: dlq_id=%d entry_id=%s tenant=%d reason=%s replays=%d%n", change.dryRun ? "would discard" : "discarded",
                    r.id(), r.entryId() == null ? "-" : r.entryId(), r.tenantId(), r.reason(), r.retryCount());
        }
        out.flush();
        return 0;
    }

    private int dryRun(DlqReplayer replayer, DlqFilter filter) {
        PrintWriter out = spec.commandLine().getOut();
        List<DlqReplayer.Planned> plan = replayer.plan(filter);
        int replay = 0;
        int held = 0;
        List<Long> entries = new java.util.ArrayList<>();
        for (DlqReplayer.Planned p : plan) {
            DlqEntry r = p.row();
            switch (p.action()) {
                case REPLAY -> {
                    replay++;
                    entries.add(r.entryId());
                    out.printf("would replay    dlq_id=%d entry_id=%d tenant=%d reason=%s replays=%d%n",
                            r.id(), r.entryId(), r.tenantId(), r.reason(), r.retryCount());
                }
                case REMOVE_ONLY -> {
                    replay++;
                    out.printf("would remove    dlq_id=%d (%s row without entry) tenant=%d reason=%s%n",
                            r.id(), r.source(), r.tenantId(), r.reason());
                }
                case HELD_BACK -> {
                    held++;
                    out.printf("would hold back dlq_id=%d entry_id=%s tenant=%d reason=%s replays=%d (limit %d)%n",
                            r.id(), r.entryId(), r.tenantId(), r.reason(), r.retryCount(), replayer.maxAttempts());
                }
            }
        }
        out.println("dry run: would replay " + replay + " DLQ row(s); re-enqueue entry_ids=" + ids(entries)
                + "; hold back " + held + "; nothing was changed");
        out.flush();
        return 0;
    }

    private int replay(DlqReplayer replayer, DlqFilter filter) {
        PrintWriter out = spec.commandLine().getOut();
        Progress[] progress = new Progress[1];
        DlqReplayer.Result result;
        try {
            result = replayer.replay(filter, (done, total) -> {
                if (change.noProgress || total < PROGRESS_THRESHOLD) {
                    return;
                }
                if (progress[0] == null) {
                    progress[0] = Progress.onStderr("reconciler:dlq:replay", "rows", total);
                }
                progress[0].set(done);
            });
        } finally {
            if (progress[0] != null) {
                progress[0].close();
            }
        }
        out.println("replayed " + result.count() + " DLQ row(s); re-enqueued entry_ids=" + ids(result.reenqueuedEntries()));
        if (!result.heldBack().isEmpty()) {
            List<Long> held = result.heldBack().stream().map(DlqEntry::id).toList();
            String line = "held back " + held.size() + " DLQ row(s) replayed " + replayer.maxAttempts()
                    + " time(s) already (reconcilerDlqMaxAttempts): dlq_ids=" + ids(held)
                    + "; they stay in the DLQ for investigation";
            out.println(line);
            out.flush();
            spec.commandLine().getErr().println("stardust reconciler:dlq:replay: warning: " + line);
        }
        out.flush();
        return 0;
    }

    /** The ids, at most {@value #LISTED_IDS} of them, so a huge replay does not print a megabyte line. */
    private static String ids(List<Long> ids) {
        if (ids.size() <= LISTED_IDS) {
            return ids.toString();
        }
        return ids.subList(0, LISTED_IDS).toString().replaceFirst("]$", ", ... (" + (ids.size() - LISTED_IDS) + " more)]");
    }
}
