package io.stardust.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.progress.Progress;
import io.stardust.reconciler.DlqEntry;
import io.stardust.reconciler.DlqFilter;
import io.stardust.reconciler.DlqReplayer;
import io.stardust.reconciler.ReconcilerConfig;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Puts DLQ rows back on the sync queue and deletes them, in one transaction (upstream's
 * {@code reconciler:dlq:replay}), with filters, a dry run, progress on stderr and the loop guard.
 */
@Command(name = "reconciler:dlq:replay", mixinStandardHelpOptions = true,
        description = {"Re-enqueue DLQ rows into stardust_sync_queue and delete them, in one transaction.",
                "Select with --id (wins over the other filters) or any of --reason, --tenant, --older-than.",
                "Rows replayed reconcilerDlqMaxAttempts times already are held back and reported, not re-enqueued.",
                "Exit codes: 0 done (also when rows were held back), 2 no selector or no matching row, 1 error."})
final class ReconcilerDlqReplayCommand implements Callable<Integer> {
    /** Replays of at least this many rows report progress on stderr. */
    static final int PROGRESS_THRESHOLD = 1000;
    private static final int LISTED_IDS = 100;

    @Mixin
    DlqOptions options;

    @Option(names = "--id", paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Replay exactly this DLQ row.")
    Long id;

    @Option(names = "--dry-run", description = "Print what would be replayed; change nothing.")
    boolean dryRun;

    @Option(names = "--no-progress", description = "Never report progress on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (id == null && options.reason == null && options.tenant == null && options.olderThan == null) {
            throw new UsageException("say which rows: --id=N, or at least one of --reason, --tenant, --older-than"
                    + " (use reconciler:dlq:list to see them)");
        }
        if (id != null && (options.reason != null || options.tenant != null || options.olderThan != null)) {
            System.err.println("stardust reconciler:dlq:replay: --id takes precedence; --reason, --tenant and"
                    + " --older-than are ignored");
        }
        DlqFilter filter = options.filter(id);
        ConfigValues values = options.values();
        try (HikariDataSource ds = DlqOptions.open(values)) {
            DlqReplayer replayer = new DlqReplayer(ds, new UtcClock(Clock.systemUTC()),
                    values.get(ReconcilerConfig.DLQ_MAX_ATTEMPTS));
            return dryRun ? dryRun(replayer, filter) : replay(replayer, filter);
        }
    }

    private int dryRun(DlqReplayer replayer, DlqFilter filter) {
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
                    System.out.printf("would replay    dlq_id=%d entry_id=%d tenant=%d reason=%s replays=%d%n",
                            r.id(), r.entryId(), r.tenantId(), r.reason(), r.retryCount());
                }
                case REMOVE_ONLY -> {
                    replay++;
                    System.out.printf("would remove    dlq_id=%d (%s row without entry) tenant=%d reason=%s%n",
                            r.id(), r.source(), r.tenantId(), r.reason());
                }
                case HELD_BACK -> {
                    held++;
                    System.out.printf("would hold back dlq_id=%d entry_id=%s tenant=%d reason=%s replays=%d (limit %d)%n",
                            r.id(), r.entryId(), r.tenantId(), r.reason(), r.retryCount(), replayer.maxAttempts());
                }
            }
        }
        System.out.println("dry run: would replay " + replay + " DLQ row(s); re-enqueue entry_ids=" + ids(entries)
                + "; hold back " + held + "; nothing was changed");
        return 0;
    }

    private int replay(DlqReplayer replayer, DlqFilter filter) {
        Progress[] progress = new Progress[1];
        DlqReplayer.Result result;
        try {
            result = replayer.replay(filter, (done, total) -> {
                if (noProgress || total < PROGRESS_THRESHOLD) {
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
        System.out.println("replayed " + result.count() + " DLQ row(s); re-enqueued entry_ids=" + ids(result.reenqueuedEntries()));
        if (!result.heldBack().isEmpty()) {
            List<Long> held = result.heldBack().stream().map(DlqEntry::id).toList();
            String line = "held back " + held.size() + " DLQ row(s) replayed " + replayer.maxAttempts()
                    + " time(s) already (reconcilerDlqMaxAttempts): dlq_ids=" + ids(held)
                    + "; they stay in the DLQ for investigation";
            System.out.println(line);
            System.err.println("stardust reconciler:dlq:replay: warning: " + line);
        }
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
