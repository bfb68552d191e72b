package io.stardust.chronicler;

import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.ExportJob;
import io.stardust.ModelNotFoundException;
import io.stardust.QueryFilterValidationException;
import io.stardust.StarDustConfig.FilterLimits;
import io.stardust.chronicler.JobStore.Progress;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.event.EventLog;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one claimed job to an end: completed, failed, or lease lost. Chunk by chunk: read the next search page after
 * the cursor, encode its rows, append them to the artifact (forced to disk), then commit cursor, skip count, artifact
 * size and row count in one guarded statement, which is also the heartbeat. The crash table in the README follows
 * from that order.
 */
final class JobProcessor {

    /** How a job ended for this worker. */
    enum Outcome {
        COMPLETED, FAILED, LEASE_LOST,
        /** Shutdown between two chunks: the job stays processing, its lease released, for the next worker to resume. */
        STOPPED
    }

    private final JobStore store;
    private final PageSource pages;
    private final ChroniclerConfig config;
    private final JsonFilterDecoder decoder;
    private final EventLog events;
    private final Sleeper sleeper;
    private final HoldPoints holds;
    private final java.util.function.Function<ExportJob, Path> freshPath;
    private final java.util.function.BooleanSupplier stopRequested;

    JobProcessor(JobStore store, PageSource pages, ChroniclerConfig config, FilterLimits limits, EventLog events,
                 Sleeper sleeper, HoldPoints holds, java.util.function.Function<ExportJob, Path> freshPath,
                 java.util.function.BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        this.store = store;
        this.pages = pages;
        this.config = config;
        this.decoder = new JsonFilterDecoder(limits);
        this.events = events;
        this.sleeper = sleeper;
        this.holds = holds;
        this.freshPath = freshPath;
    }

    /** The per-job state a chunk reads and advances. */
    private final class Run {
        final ClaimedJob claim;
        final ExportJob job;
        final String correlationId;
        final long started = System.nanoTime();
        long cursor;
        long skipCount;
        long rows;
        ArtifactFile file;

        Run(ClaimedJob claim, String correlationId) {
            this.claim = claim;
            this.job = claim.job();
            this.correlationId = correlationId;
        }

        Object[] ids(Object... more) {
            Object[] base = {"correlation_id", correlationId, "tenant_id", job.tenantId(), "job_id", job.id(),
                    "worker_identity", claim.workerIdentity()};
            Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
            System.arraycopy(more, 0, all, base.length, more.length);
            return all;
        }

        Progress progress() throws IOException {
            return new Progress(cursor, skipCount, file == null ? 0 : file.size(), rows);
        }

        long elapsedMs() {
            return Duration.ofNanos(System.nanoTime() - started).toMillis();
        }
    }

    Outcome process(ClaimedJob claim, String correlationId) throws InterruptedException {
        Run run = new Run(claim, correlationId);
        Outcome outcome;
        try {
            outcome = processOpen(run);
        } finally {
            if (run.file != null) {
                run.file.close();
            }
        }
        if (outcome == Outcome.STOPPED) {
            // after the file's lock is gone, so the next worker can open the artifact and resume it in place
            if (store.release(claim)) {
                events.info("lease_released", run.ids("last_cursor", run.cursor));
            } else {
                return leaseLost(run);
            }
        }
        return outcome;
    }

    private Outcome processOpen(Run run) throws InterruptedException {
        ExportJob job = run.job;
        FilterNode filter;
        try {
            filter = job.filter() == null ? null : decoder.decode(job.filter());
        } catch (QueryFilterValidationException e) {
            return fail(run, "filter_rejected", e);
        }
        List<String> columns = job.select() != null ? job.select() : store.liveFields(job.tenantId(), job.modelId());
        RowEncoder encoder = RowEncoder.of(job.format(), columns);
        boolean opened;
        try {
            opened = openArtifact(run);
        } catch (IOException e) {
            return fail(run, "disk_full", e);
        }
        if (!opened) {
            return leaseLost(run);
        }
        int deadlocks = 0;
        int disconnects = 0;
        while (true) {
            EntryPage page;
            try {
                page = fetch(run, filter, columns);
            } catch (ModelNotFoundException purged) {
                page = new EntryPage(List.of(), null, config.pageSize()); // the model's deletion finished meanwhile
            } catch (QueryFilterValidationException e) {
                return fail(run, "filter_rejected", e); // a field of the filter was deleted or demoted since
            } catch (RuntimeException e) {
                DbErrorKind kind = DbErrorKind.of(e);
                if (kind == DbErrorKind.CONFLICT) {
                    deadlocks++;
                    events.warning("deadlock_retry", run.ids("retry_count", deadlocks, "last_cursor", run.cursor));
                    if (deadlocks >= config.deadlockRetryBudget()) {
                        long start = run.cursor;
                        run.cursor += config.pageSize();
                        run.skipCount += config.pageSize();
                        deadlocks = 0;
                        events.warning("chunk_skipped", run.ids("start_cursor", start, "end_cursor", run.cursor,
                                "cause", "deadlock_budget_exhausted"));
                        if (run.skipCount > config.skipCountCap()) {
                            return fail(run, "excessive_skips", null);
                        }
                    }
                    pause();
                    continue;
                }
                if (kind == DbErrorKind.OUTAGE) {
                    if (disconnects >= config.backoffSeconds().size()) {
                        return fail(run, "query_failure", e);
                    }
                    sleeper.sleep(Duration.ofSeconds(config.backoffSeconds().get(disconnects++)));
                    continue; // the pool hands out a fresh connection; resume from the committed cursor
                }
                throw e; // the row stays processing with its committed prefix: a take-over resumes it in place
            }
            deadlocks = 0;
            disconnects = 0;
            Outcome outcome = writeChunk(run, page, encoder);
            if (outcome != null) {
                return outcome;
            }
            if (stopRequested.getAsBoolean()) {
                return Outcome.STOPPED;
            }
            pause();
        }
    }

    /**
     * Opens the claimed job's artifact. A fresh claim starts it; a take-over resumes it in place from the committed
     * prefix, or starts over (same file) when the file is shorter than that prefix, or in a fresh file when the
     * previous owner is still alive and writing. False when the lease went away meanwhile.
     */
    private boolean openArtifact(Run run) throws IOException {
        ExportJob job = run.job;
        Path path = Path.of(job.artifactPath());
        ArtifactFile file = ArtifactFile.open(path, job.gzip());
        long committed = job.artifactBytes() == null ? 0 : job.artifactBytes();
        if (file == null) {
            // the previous owner still runs (a stall, not a crash): leave it its file and start over in a new one
            java.nio.file.Files.deleteIfExists(path);
            Path fresh = freshPath.apply(job);
            if (!store.restart(run.claim, fresh)) {
                return false;
            }
            file = ArtifactFile.open(fresh, job.gzip());
            if (file == null) {
                throw new IOException("cannot lock the fresh artifact " + fresh);
            }
            committed = 0;
            run.skipCount = 0;
        } else if (run.claim.resumes() && committed > 0 && file.size() >= committed) {
            run.cursor = job.lastCursor() == null ? 0 : job.lastCursor();
            run.skipCount = job.skipCount();
            run.rows = job.rowsExported();
        } else {
            committed = 0; // nothing committed yet, or the partial lost committed bytes: start the file over
            run.skipCount = job.skipCount();
        }
        run.file = file;
        file.truncate(committed);
        return true;
    }

    private EntryPage fetch(Run run, FilterNode filter, List<String> columns) {
        return pages.page(run.job.tenantId(), run.job.modelId(), filter, columns, run.cursor, config.pageSize(),
                run.correlationId);
    }

    /** Encodes, appends and commits one page; null to go on with the next one. */
    private Outcome writeChunk(Run run, EntryPage page, RowEncoder encoder) throws InterruptedException {
        long chunkStarted = System.nanoTime();
        boolean last = !page.hasMore();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        long committedBytes;
        try {
            committedBytes = run.file.size();
        } catch (IOException e) {
            return fail(run, "disk_full", e);
        }
        if (committedBytes == 0) {
            content.writeBytes(encoder.open());
        }
        long cursor = run.cursor;
        long rows = run.rows;
        long skips = run.skipCount;
        int streamed = 0;
        for (Entry entry : page.rows()) {
            cursor = entry.id();
            try {
                content.writeBytes(encoder.row(entry.fields(), rows == 0));
                rows++;
                streamed++;
            } catch (RowEncodingException e) {
                skips++;
                events.warning("row_skipped", run.ids("entry_id", entry.id(), "reason", e.reason()));
                if (skips > config.skipCountCap()) {
                    run.skipCount = skips;
                    return fail(run, "excessive_skips", null);
                }
            }
        }
        if (last) {
            content.writeBytes(encoder.close());
        }
        long total;
        try {
            byte[] framed = run.file.frame(content.toByteArray());
            total = committedBytes + framed.length;
            if (total > config.artifactSizeCapBytes()) {
                run.file.close();
                if (!store.failOversized(run.claim)) {
                    run.file = null;
                    return leaseLost(run);
                }
                run.file.discard();
                run.file = null;
                events.error("artifact_oversized", null, run.ids("bytes_written", total,
                        "cap_bytes", config.artifactSizeCapBytes()));
                return Outcome.FAILED;
            }
            if (last) {
                holds.reached("before_completion");
            }
            run.file.append(framed, holds);
        } catch (IOException e) {
            return fail(run, "disk_full", e);
        }
        Progress progress = new Progress(cursor, skips, total, rows);
        if (!store.commitChunk(run.claim, progress, last)) {
            return leaseLost(run);
        }
        run.cursor = cursor;
        run.rows = rows;
        run.skipCount = skips;
        holds.reached("after_chunk_commit");
        events.info("chunk_written", run.ids("last_cursor", cursor, "rows_streamed", streamed, "bytes_written", total,
                "chunk_elapsed_ms", Duration.ofNanos(System.nanoTime() - chunkStarted).toMillis()));
        if (last) {
            events.info("job_complete", run.ids("artifact_path", run.file.path().toString(), "rows_streamed_total", rows,
                    "bytes_written_total", total, "skip_count", skips, "elapsed_ms", run.elapsedMs()));
            return Outcome.COMPLETED;
        }
        return null;
    }

    /**
     * Lost the lease: another worker owns the row now (and the artifact path it names), so the file is left to it;
     * this worker only lets go of its lock.
     */
    private Outcome leaseLost(Run run) {
        events.warning("lease_lost", run.ids("last_cursor", run.cursor));
        return Outcome.LEASE_LOST;
    }

    /** A failure terminal; the partial is deleted only once the row says failed (else it is the new owner's). */
    private Outcome fail(Run run, String reason, Exception cause) {
        long bytes = 0;
        ArtifactFile file = run.file;
        run.file = null;
        if (file != null) {
            try {
                bytes = file.size();
            } catch (IOException ignored) {
                // reported as 0
            }
            file.close();
        }
        if (!store.fail(run.claim, reason, new Progress(run.cursor, run.skipCount, bytes, run.rows))) {
            return leaseLost(run);
        }
        if (file != null) {
            file.discard();
        }
        String eventReason = "query_failure".equals(reason) ? "db_disconnect_exhausted" : reason;
        events.error("job_failed", cause, run.ids("reason", eventReason, "last_cursor", run.cursor,
                "bytes_written", bytes, "elapsed_ms", run.elapsedMs()));
        return Outcome.FAILED;
    }

    private void pause() throws InterruptedException {
        Duration delay = config.interChunkDelay();
        if (!delay.isZero()) {
            sleeper.sleep(delay);
        }
    }
}
