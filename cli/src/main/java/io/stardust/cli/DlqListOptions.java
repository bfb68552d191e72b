package io.stardust.cli;

import picocli.CommandLine.Option;

/** What {@code reconciler:dlq:list} and {@code ingest:dlq:list} print: how many rows, and how. */
final class DlqListOptions {
    /** Output formats. */
    enum Format { table, json }

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", converter = CanonicalNumberConverter.ZeroAllowed.class,
            description = "At most N rows, oldest first; 0 = all.")
    long limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table for people or json for scripts: ${COMPLETION-CANDIDATES}.")
    Format format;
}
