package io.stardust.chronicler;

import io.stardust.engine.event.EventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deletes expired artifacts on idle and low-disk ticks: completed exports {@code chroniclerArtifactTtlSeconds} after
 * completion, failed ones' partials {@code chroniclerOrphanedPartialTtlSeconds} after failure. The job rows stay,
 * with {@code artifact_path} cleared; a row counts even if its file was already gone.
 */
final class ArtifactGc {
    private final JobStore store;
    private final ChroniclerConfig config;
    private final EventLog events;

    ArtifactGc(JobStore store, ChroniclerConfig config, EventLog events) {
        this.store = store;
        this.config = config;
        this.events = events;
    }

    /** Returns the number of artifacts collected. */
    int sweep(String correlationId) {
        int deleted = 0;
        long reclaimed = 0;
        for (JobStore.Expired e : store.expired(config.artifactTtlSeconds(), config.orphanedPartialTtlSeconds())) {
            Path path = Path.of(e.path());
            try {
                if (Files.exists(path)) {
                    long size = Files.size(path);
                    Files.delete(path);
                    reclaimed += size;
                }
            } catch (IOException cannot) {
                continue; // left for the next sweep; the path stays recorded
            }
            store.forgetArtifact(e);
            deleted++;
        }
        if (deleted > 0) {
            events.info("gc_swept", "correlation_id", correlationId, "tenant_id", null, "artifacts_deleted", deleted,
                    "bytes_reclaimed", reclaimed);
        }
        return deleted;
    }
}
