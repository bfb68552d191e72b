package io.stardust.reconciler;

import io.stardust.EngineFixture;

/** Seeds DLQ rows directly, for tests of replay and listing. */
final class DlqSeeds {
    private DlqSeeds() {
    }

    static long row(EngineFixture fx, String source, Long entryId, long tenant, String reason, String failedAt, int retryCount) {
        fx.exec("INSERT INTO stardust_reconciler_dlq (source, entry_id, tenant_id, model_id, reason, error_message,"
                + " failed_at, retry_count, chunk_correlation_id) VALUES ('" + source + "', "
                + (entryId == null ? "NULL" : entryId) + ", " + tenant + ", 1, '" + reason + "', 'seeded', '"
                + failedAt + "', " + retryCount + ", 'seed')");
        return fx.count("SELECT MAX(id) FROM stardust_reconciler_dlq");
    }
}
