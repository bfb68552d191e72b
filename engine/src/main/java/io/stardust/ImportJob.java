package io.stardust;

import java.time.LocalDateTime;
import java.util.List;

/**
 * An asynchronous import job ({@code submitBulkWrite}) as {@code getImportJob} reports it.
 *
 * @param status         {@code pending}, {@code processing}, {@code completed} or {@code failed}
 * @param entriesWritten entries committed so far (on failure: where a replay would resume)
 * @param failedReason   {@code malformed_json} or {@code entry_write_failed}, or null
 */
public record ImportJob(long id, long tenantId, String status, int entryCount, int entriesWritten, int chunks,
                        List<Chunk> chunkManifest, String failedReason, String idempotencyKey, LocalDateTime createdAt,
                        LocalDateTime claimedAt, LocalDateTime heartbeatAt, LocalDateTime completedAt) {

    /** One processed window of the artifact; {@code outcome} is {@code committed} or {@code failed}. */
    public record Chunk(int index, int size, String outcome, Long entryIdFirst, Long entryIdLast, String failureReason) {
    }

    public ImportJob {
        chunkManifest = List.copyOf(chunkManifest);
    }
}
