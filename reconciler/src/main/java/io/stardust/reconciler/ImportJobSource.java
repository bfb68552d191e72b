package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.imports.ImportJobProcessor;

/**
 * Async import jobs ({@code submitBulkWrite}) as the Reconciler's second work source: one job per tick through the
 * engine's {@link ImportJobProcessor} (claim with {@code SKIP LOCKED}, abandoned jobs re-claimed after
 * {@code reconcilerImportLeaseTimeoutSeconds}, one transaction per window with the heartbeat and the manifest).
 * Events after the job's windows: {@code chunk_claimed{queue: 'import_jobs', job_id, tenant_id, claim_kind,
 * resume_offset}}, then {@code chunk_complete{job_id, chunks, entries_written}}, {@code chunk_partial{job_id,
 * failed_reason}} (warning) or {@code lease_lost{job_id, tenant_id}} (warning).
 */
public final class ImportJobSource implements WorkSource {
    static final String QUEUE = "import_jobs";

    private final ImportJobProcessor processor;
    private final int chunkSize;
    private final int leaseTimeoutSeconds;
    private final EventLog events;

    ImportJobSource(ImportJobProcessor processor, int chunkSize, int leaseTimeoutSeconds, EventLog events) {
        this.processor = processor;
        this.chunkSize = chunkSize;
        this.leaseTimeoutSeconds = leaseTimeoutSeconds;
        this.events = events;
    }

    @Override
    public TickOutcome tickOne(String chunkCorrelationId) throws Exception {
        ImportJobProcessor.Outcome out = processor.processOne(chunkSize, leaseTimeoutSeconds, chunkCorrelationId);
        if (out instanceof ImportJobProcessor.Idle) {
            return TickOutcome.IDLE;
        }
        if (out instanceof ImportJobProcessor.Completed c) {
            claimed(chunkCorrelationId, c.jobId(), c.tenantId(), c.claimKind(), c.resumeOffset());
            events.info("chunk_complete", "correlation_id", chunkCorrelationId, "queue", QUEUE, "job_id", c.jobId(),
                    "tenant_id", c.tenantId(), "chunks", c.chunks(), "entries_written", c.entriesWritten());
        } else if (out instanceof ImportJobProcessor.Failed f) {
            claimed(chunkCorrelationId, f.jobId(), f.tenantId(), f.claimKind(), f.resumeOffset());
            events.warning("chunk_partial", "correlation_id", chunkCorrelationId, "queue", QUEUE, "job_id", f.jobId(),
                    "tenant_id", f.tenantId(), "failed_reason", f.reason(), "error_message", f.message());
        } else if (out instanceof ImportJobProcessor.LeaseLost l) {
            claimed(chunkCorrelationId, l.jobId(), l.tenantId(), l.claimKind(), l.resumeOffset());
            events.warning("lease_lost", "correlation_id", chunkCorrelationId, "queue", QUEUE, "job_id", l.jobId(),
                    "tenant_id", l.tenantId());
        }
        return TickOutcome.WORK_DONE;
    }

    private void claimed(String correlationId, long jobId, long tenantId, String kind, int resumeOffset) {
        events.info("chunk_claimed", "correlation_id", correlationId, "queue", QUEUE, "job_id", jobId, "tenant_id", tenantId,
                "claim_kind", kind, "resume_offset", resumeOffset);
    }
}
