package io.stardust.cli;

import picocli.CommandLine.Option;

/**
 * How {@code reconciler:dlq:replay} and {@code ingest:dlq:replay} change the DLQ: replay or discard, for real or
 * as a dry run, over how many rows.
 */
final class DlqChangeOptions {
    @Option(names = "--all", description = "Every row (a change needs this or at least one filter).")
    boolean all;

    @Option(names = "--dry-run", description = "Print what would happen; change nothing.")
    boolean dryRun;

    @Option(names = "--discard", description = "Delete the matching rows instead of replaying them: they are given up.")
    boolean discard;

    @Option(names = "--max-attempts", paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Leave rows alone that were replayed N times already (default: the DLQ's max-attempts setting)."
                    + " Not with --discard.")
    Long maxAttempts;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100000", converter = CanonicalNumberConverter.ZeroAllowed.class,
            description = "At most N rows per run, oldest first; 0 = all.")
    long limit;

    @Option(names = "--no-progress", description = "Never report progress on stderr.")
    boolean noProgress;

    /** The usage errors every DLQ change shares, before anything is read. */
    void check(DlqOptions selection) {
        if (!selection.narrowed() && !all) {
            throw new UsageException("say which rows: --id=N, or at least one of --reason, --tenant, --older-than, or --all"
                    + " (the list command shows them)");
        }
        if (all && selection.narrowed()) {
            throw new UsageException("--all selects every row; leave it out to filter");
        }
        if (discard && maxAttempts != null) {
            throw new UsageException("--max-attempts limits replays; --discard deletes whatever matches");
        }
    }

    /** The attempt limit: {@code --max-attempts}, else the configured one. */
    int maxAttempts(int configured) {
        return maxAttempts == null ? configured : DlqOptions.rows(maxAttempts);
    }
}
