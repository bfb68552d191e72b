package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.schema.SchemaBootstrapper;
import org.junit.jupiter.api.Test;

class RegistryTablesTest {
    @Test
    void theMirrorCapturesBootstrapTablesOnlyAndNeverEntriesQueuesOrOutbox() {
        assertThat(SchemaBootstrapper.TABLES).containsAll(RegistryTables.CAPTURED);
        assertThat(RegistryTables.CAPTURED).doesNotContain("entry_data", "stardust_sync_queue", "stardust_entry_events",
                "stardust_entry_keys", "stardust_ingest_offsets", "stardust_ingest_dlq", "stardust_reconciler_dlq");
    }

    @Test
    void theIncludeListAnchorsEveryTableToTheDatabaseWithEscapedDots() {
        assertThat(RegistryTables.includeList("app")).startsWith("app\\.stardust_models,").contains("app\\.backfill_checkpoints");
    }
}
