package io.stardust;

import java.time.LocalDateTime;
import java.util.Locale;

/**
 * One field-lifecycle checkpoint as {@code lifecycleStatus} reports it: what runs (or ran) on which field or model,
 * its state and its progress. A retype/promotion/relocation backfill and a rename stay listed after they complete;
 * a purge's checkpoint is deleted together with what it purged, so a deletion is listed only while it runs (or
 * failed).
 *
 * @param status          {@code running}, {@code completed} or {@code failed} ({@code paused} is never written)
 * @param fieldId         the field, or null for a model deletion
 * @param previousName    the name a field had before a rename still rewriting payloads, else null
 * @param sourceType      a backfill's declared type before it started (null for other operations)
 * @param targetType      a backfill's declared type now (null for other operations)
 * @param lastProcessedId the cursor: the last entry id the checkpoint has processed (0 before the first chunk; a
 *                        model purge deletes from the start and keeps 0)
 * @param rowsProcessed   entries written, rewritten or purged so far
 * @param coercionNulls   values a backfill stored as NULL because they did not convert
 * @param entriesDone     entries of the model the checkpoint has passed (for a model purge: the entries deleted)
 * @param entriesTotal    {@code entriesDone} plus the entries still ahead of it, counted now
 * @param lastError       why a failed checkpoint stopped, else null
 */
public record LifecycleCheckpoint(String jobName, Operation operation, String status, long tenantId, int modelId,
                                  String modelName, Long fieldId, String fieldName, String previousName,
                                  DeclaredType sourceType, DeclaredType targetType, long lastProcessedId,
                                  long rowsProcessed, long coercionNulls, long entriesDone, long entriesTotal,
                                  String lastError, LocalDateTime startedAt, LocalDateTime updatedAt,
                                  LocalDateTime completedAt) {

    /** What the checkpoint does. */
    public enum Operation {
        /** A backfill after a change of declared type. */
        RETYPE,
        /** A backfill without a change of type: a promotion to filterable, or a relocation (compaction). */
        BACKFILL,
        RENAME,
        DELETE_FIELD,
        DELETE_MODEL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean isRunning() {
        return "running".equals(status);
    }

    /** Whole percent of the model's entries done: 100 once completed, 0 when nothing is known yet. */
    public int percent() {
        if ("completed".equals(status)) {
            return 100;
        }
        if (entriesTotal <= 0) {
            return 0;
        }
        return (int) Math.min(99, entriesDone * 100 / entriesTotal);
    }
}
