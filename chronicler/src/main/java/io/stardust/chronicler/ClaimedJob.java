package io.stardust.chronicler;

import io.stardust.ExportJob;

/**
 * A job this worker now owns. {@code kind} is {@code pending} (a fresh start) or {@code abandoned} (taken over from a
 * worker whose heartbeat went stale: the artifact is resumed in place from the committed cursor).
 */
record ClaimedJob(ExportJob job, String workerIdentity, String kind) {
    static final String PENDING = "pending";
    static final String ABANDONED = "abandoned";

    boolean resumes() {
        return ABANDONED.equals(kind);
    }
}
