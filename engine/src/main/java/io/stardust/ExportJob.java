package io.stardust;

import java.time.LocalDateTime;
import java.util.List;

/**
 * An export job as {@link StarDust#getExportJob} reports it. Times are UTC.
 *
 * @param status        {@code pending}, {@code processing}, {@code completed} or {@code failed}
 * @param filter        the job's filter as a canonical wire document, or null (every entry)
 * @param select        the exported fields, or null (every live field)
 * @param lastCursor    the id of the last entry covered by a committed chunk, or null before the first one
 * @param artifactPath  where the Chronicler writes the artifact, known from the claim on; null while pending and
 *                      after the garbage collector deleted the file
 * @param artifactBytes bytes of the artifact covered by committed chunks (the whole file once completed)
 * @param rowsExported  entries written by committed chunks
 * @param failedReason  {@code excessive_skips}, {@code query_failure}, {@code disk_full},
 *                      {@code artifact_size_exceeded} or {@code filter_rejected}; null unless failed
 * @param skipCount     entries left out of the artifact (rows that cannot be encoded, ranges skipped after deadlocks)
 */
public record ExportJob(long id, long tenantId, int modelId, String status, ExportFormat format, boolean gzip,
                        String filter, List<String> select, Long lastCursor, String artifactPath, Long artifactBytes,
                        long rowsExported, String failedReason, long skipCount, String workerIdentity,
                        String correlationId, LocalDateTime claimedAt, LocalDateTime heartbeatAt,
                        LocalDateTime createdAt, LocalDateTime completedAt) {
    public ExportJob {
        select = select == null ? null : List.copyOf(select);
    }

    public boolean completed() {
        return "completed".equals(status);
    }

    /** Completed or failed: nothing will change it any more (except the garbage collector's path reset). */
    public boolean terminal() {
        return completed() || "failed".equals(status);
    }
}
