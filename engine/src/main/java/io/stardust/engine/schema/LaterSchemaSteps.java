package io.stardust.engine.schema;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Schema added after release 0.3.0-alpha.1, each step separately probed so that bootstrap upgrades an existing,
 * populated database in place (and re-running it changes nothing). Names are upstream StarDust's later schema
 * (field and model rename/delete, correlation ids, advisory scheduling), plus two progress counters of ours on
 * {@code backfill_checkpoints}.
 */
final class LaterSchemaSteps {
    private LaterSchemaSteps() {
    }

    static void apply(Connection c) throws SQLException {
        // field and model lifecycle: the old name kept while a rename rewrites entry_data; soft markers of a delete
        // whose purge is running (the rows disappear when the purge ends)
        SchemaBootstrapper.ensureColumn(c, "stardust_fields", "previous_name",
                "ALTER TABLE stardust_fields ADD COLUMN previous_name VARCHAR(128) NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_fields", "deleted_at",
                "ALTER TABLE stardust_fields ADD COLUMN deleted_at DATETIME NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_models", "deleted_at",
                "ALTER TABLE stardust_models ADD COLUMN deleted_at DATETIME NULL");
        // correlation ids carried from the request that caused the row
        SchemaBootstrapper.ensureColumn(c, "backfill_checkpoints", "correlation_id",
                "ALTER TABLE backfill_checkpoints ADD COLUMN correlation_id VARCHAR(36) NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_sync_queue", "origin_correlation_id",
                "ALTER TABLE stardust_sync_queue ADD COLUMN origin_correlation_id VARCHAR(36) NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_reconciler_dlq", "origin_correlation_id",
                "ALTER TABLE stardust_reconciler_dlq ADD COLUMN origin_correlation_id VARCHAR(36) NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_import_jobs", "correlation_id",
                "ALTER TABLE stardust_import_jobs ADD COLUMN correlation_id VARCHAR(36) NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_export_jobs", "correlation_id",
                "ALTER TABLE stardust_export_jobs ADD COLUMN correlation_id VARCHAR(36) NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_export_jobs", "artifact_bytes",
                "ALTER TABLE stardust_export_jobs ADD COLUMN artifact_bytes BIGINT UNSIGNED NULL");
        // lets "is this entry queued?" and the DLQ replay find queue rows without a scan
        SchemaBootstrapper.ensureIndex(c, "stardust_sync_queue", "ix_sync_queue_entry",
                "CREATE INDEX ix_sync_queue_entry ON stardust_sync_queue (entry_id)");
        // one advisory sample per interval across the fleet, claimed by a conditional UPDATE of its row
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS stardust_advisory_schedule ("
                    + " sample_kind VARCHAR(32) NOT NULL PRIMARY KEY,"
                    + " next_due_at DATETIME NOT NULL,"
                    + " last_sampled_at DATETIME NULL,"
                    + " claimed_by VARCHAR(128) NULL,"
                    + " updated_at DATETIME NOT NULL)"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci");
        }
        // not in upstream: progress of a lifecycle job, for lifecycle:status
        SchemaBootstrapper.ensureColumn(c, "backfill_checkpoints", "rows_processed",
                "ALTER TABLE backfill_checkpoints ADD COLUMN rows_processed BIGINT NOT NULL DEFAULT 0");
        SchemaBootstrapper.ensureColumn(c, "backfill_checkpoints", "coercion_nulls",
                "ALTER TABLE backfill_checkpoints ADD COLUMN coercion_nulls BIGINT NOT NULL DEFAULT 0");
        // not in upstream: the HTTP API's keys (only the SHA-256 of a key is stored) and the answers remembered
        // under a client's Idempotency-Key, per API key
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS stardust_api_keys ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " name VARCHAR(128) NULL,"
                    + " key_hash BINARY(32) NOT NULL,"
                    + " scopes VARCHAR(64) CHARACTER SET ascii NOT NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " revoked_at DATETIME NULL,"
                    + " UNIQUE KEY ux_api_keys_hash (key_hash),"
                    + " KEY ix_api_keys_tenant (tenant_id))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci");
            s.execute("CREATE TABLE IF NOT EXISTS stardust_idempotency_keys ("
                    + " api_key_id BIGINT NOT NULL,"
                    + " idempotency_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " request_hash BINARY(32) NOT NULL,"
                    + " status SMALLINT NULL,"
                    + " response_body MEDIUMBLOB NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " completed_at DATETIME NULL,"
                    + " PRIMARY KEY (api_key_id, idempotency_key))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci");
        }
        // not in upstream: NDJSON exports, and the entries a job's committed chunks wrote (progress, and where a
        // resumed JSON array needs its next separator)
        long ndjson = Sql.queryLong(c, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_export_jobs' AND COLUMN_NAME = 'format'"
                + " AND COLUMN_TYPE LIKE '%''ndjson''%'", 0);
        if (ndjson == 0) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE stardust_export_jobs MODIFY COLUMN format ENUM('csv','json','ndjson') NOT NULL");
            }
        }
        SchemaBootstrapper.ensureColumn(c, "stardust_export_jobs", "rows_exported",
                "ALTER TABLE stardust_export_jobs ADD COLUMN rows_exported BIGINT UNSIGNED NOT NULL DEFAULT 0");
        fileImportLines(c);
        checkpointLease(c);
        pageLayoutVersion(c);
    }

    /**
     * Not in upstream: the file import (streams app) line a quarantined gateway record came from, so every line of
     * an import is accounted for (landed, rejected or dead-lettered with file:line); null for other producers. And
     * the outbox event type {@code dead_lettered} that tells the streams app about such a line.
     */
    private static void fileImportLines(Connection c) throws SQLException {
        SchemaBootstrapper.ensureColumn(c, "stardust_ingest_dlq", "import_id",
                "ALTER TABLE stardust_ingest_dlq ADD COLUMN import_id CHAR(64) CHARACTER SET ascii NULL");
        SchemaBootstrapper.ensureColumn(c, "stardust_ingest_dlq", "import_line",
                "ALTER TABLE stardust_ingest_dlq ADD COLUMN import_line BIGINT NULL");
        // the outbox event of a dead-lettered import line (appending an ENUM value is a metadata-only change)
        long deadLettered = Sql.queryLong(c, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_entry_events' AND COLUMN_NAME = 'type'"
                + " AND COLUMN_TYPE LIKE '%''dead_lettered''%'", 0);
        if (deadLettered == 0) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE stardust_entry_events MODIFY COLUMN type"
                        + " ENUM('created','updated','deleted','dead_lettered') NOT NULL");
            }
        }
    }

    /**
     * Not in upstream: the lease on a lifecycle checkpoint (who drives it, until when), so a checkpoint is moved by
     * one process at a time even when the Reconciler and the Streams app could both drive backfills.
     */
    private static void checkpointLease(Connection c) throws SQLException {
        SchemaBootstrapper.ensureColumn(c, "backfill_checkpoints", "claimed_by",
                "ALTER TABLE backfill_checkpoints ADD COLUMN claimed_by VARCHAR(128) NULL");
        SchemaBootstrapper.ensureColumn(c, "backfill_checkpoints", "lease_until",
                "ALTER TABLE backfill_checkpoints ADD COLUMN lease_until DATETIME NULL");
    }

    /**
     * Not in upstream: the layout a slot page was created with (see {@code PageLayout}). Pages that existed before
     * this step are upstream's layout, 1; the provisioner writes 2 for new pages.
     */
    private static void pageLayoutVersion(Connection c) throws SQLException {
        SchemaBootstrapper.ensureColumn(c, "stardust_pages", "layout_version",
                "ALTER TABLE stardust_pages ADD COLUMN layout_version TINYINT NOT NULL DEFAULT 1");
    }
}
