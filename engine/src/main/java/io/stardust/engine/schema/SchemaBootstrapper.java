package io.stardust.engine.schema;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Idempotent, non-destructive creation of every StarDust table. Every step is
 * create-if-not-exists or a probe-then-add; nothing is ever dropped or altered destructively, so re-running
 * against a populated database changes nothing. New schema in later versions must be new, separately probed
 * steps appended at the end, never edits of the statements below.
 */
public final class SchemaBootstrapper {

    /** The tables bootstrap owns, in creation order. Page tables are created by the page provisioner. */
    public static final List<String> TABLES = List.of("entry_data", "stardust_sync_queue", "stardust_models",
            "stardust_fields", "stardust_pages", "stardust_slot_assignments", "stardust_schema_version",
            "stardust_export_jobs", "stardust_import_jobs", "stardust_reconciler_dlq", "backfill_checkpoints",
            "stardust_entry_keys", "stardust_entry_events", "stardust_ingest_offsets", "stardust_ingest_dlq",
            "stardust_advisory_schedule", "stardust_api_keys", "stardust_idempotency_keys");

    private static final String TABLE_OPTIONS = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";

    private static final List<String> CREATE = List.of(
            "CREATE TABLE IF NOT EXISTS entry_data ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " model_id INT NOT NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " updated_at DATETIME NOT NULL,"
                    + " deleted_at DATETIME NULL DEFAULT NULL,"
                    + " fields JSON NOT NULL,"
                    + " KEY ix_entry_data_tenant_model (tenant_id, model_id),"
                    + " KEY ix_entry_data_tenant_lifecycle (tenant_id, deleted_at, created_at))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_sync_queue ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " entry_id BIGINT NOT NULL,"
                    + " created_at DATETIME NOT NULL)" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_models ("
                    + " id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " name VARCHAR(128) NOT NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " UNIQUE KEY ux_models_tenant_name (tenant_id, name))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_fields ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " model_id INT NOT NULL,"
                    + " name VARCHAR(128) NOT NULL,"
                    + " declared_type ENUM('string','int','numeric','datetime') NOT NULL,"
                    + " is_filterable BOOLEAN NOT NULL DEFAULT FALSE,"
                    + " created_at DATETIME NOT NULL,"
                    + " updated_at DATETIME NOT NULL,"
                    + " UNIQUE KEY ux_fields_model_name (model_id, name),"
                    + " CONSTRAINT fk_fields_model FOREIGN KEY (model_id) REFERENCES stardust_models (id) ON DELETE CASCADE)"
                    + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_pages ("
                    + " id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " table_name VARCHAR(64) NOT NULL,"
                    + " provisioned_at DATETIME NOT NULL,"
                    + " provisioned_by VARCHAR(128) NOT NULL,"
                    + " UNIQUE KEY ux_pages_table_name (table_name))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_slot_assignments ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " page_id INT NOT NULL,"
                    + " slot_column VARCHAR(16) NOT NULL,"
                    + " slot_type ENUM('str','int','num','dt') NOT NULL,"
                    + " field_id BIGINT NULL,"
                    + " status ENUM('free','assigned','tombstoned','backfilling','ready') NOT NULL DEFAULT 'free',"
                    + " sweep_cursor_id BIGINT NULL,"
                    + " tombstoned_at DATETIME NULL,"
                    + " updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                    + " UNIQUE KEY ux_slot_assignments_page_column (page_id, slot_column),"
                    + " KEY ix_slot_assignments_status_type (status, slot_type),"
                    + " KEY ix_slot_assignments_page_status (page_id, status),"
                    + " CONSTRAINT fk_slot_assignments_page FOREIGN KEY (page_id) REFERENCES stardust_pages (id),"
                    + " CONSTRAINT fk_slot_assignments_field FOREIGN KEY (field_id) REFERENCES stardust_fields (id))"
                    + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_schema_version ("
                    + " id TINYINT NOT NULL PRIMARY KEY,"
                    + " version BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " updated_at DATETIME NOT NULL,"
                    + " CONSTRAINT ck_schema_version_singleton CHECK (id = 1))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_export_jobs ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " status ENUM('pending','processing','completed','failed') NOT NULL DEFAULT 'pending',"
                    + " filter JSON NOT NULL,"
                    + " format ENUM('csv','json') NOT NULL,"
                    + " last_cursor BIGINT NULL,"
                    + " artifact_path VARCHAR(512) NULL,"
                    + " failed_reason VARCHAR(64) NULL,"
                    + " skip_count INT UNSIGNED NOT NULL DEFAULT 0,"
                    + " worker_identity VARCHAR(128) NULL,"
                    + " claimed_at DATETIME NULL,"
                    + " heartbeat_at DATETIME NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " completed_at DATETIME NULL,"
                    + " KEY ix_export_jobs_status_created (status, created_at),"
                    + " KEY ix_export_jobs_tenant_status (tenant_id, status),"
                    + " KEY ix_export_jobs_status_heartbeat (status, heartbeat_at),"
                    + " KEY ix_export_jobs_completed (completed_at))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_import_jobs ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " status ENUM('pending','processing','completed','failed') NOT NULL DEFAULT 'pending',"
                    + " idempotency_key VARCHAR(128) NULL,"
                    + " artifact_path VARCHAR(512) NOT NULL,"
                    + " entry_count INT UNSIGNED NOT NULL,"
                    + " manifest JSON NULL,"
                    + " failed_reason VARCHAR(64) NULL,"
                    + " worker_identity VARCHAR(128) NULL,"
                    + " claimed_at DATETIME NULL,"
                    + " heartbeat_at DATETIME NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " completed_at DATETIME NULL,"
                    + " UNIQUE KEY ux_import_jobs_tenant_idempotency (tenant_id, idempotency_key),"
                    + " KEY ix_import_jobs_status_created (status, created_at),"
                    + " KEY ix_import_jobs_tenant_status (tenant_id, status),"
                    + " KEY ix_import_jobs_status_heartbeat (status, heartbeat_at))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_reconciler_dlq ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " source ENUM('sync_queue','bulk_import') NOT NULL,"
                    + " entry_id BIGINT NULL,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " model_id INT NOT NULL,"
                    + " reason ENUM('malformed_json','missing_entry_data','schema_incompatibility','other') NOT NULL,"
                    + " error_message TEXT NULL,"
                    + " failed_at DATETIME NOT NULL,"
                    + " retry_count INT NOT NULL DEFAULT 0,"
                    + " chunk_correlation_id VARCHAR(36) NOT NULL,"
                    + " KEY ix_dlq_source_failed_at (source, failed_at),"
                    + " KEY ix_dlq_entry (entry_id))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS backfill_checkpoints ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " job_name VARCHAR(128) NOT NULL,"
                    + " last_processed_id BIGINT NOT NULL DEFAULT 0,"
                    + " status ENUM('running','paused','completed','failed') NOT NULL DEFAULT 'running',"
                    + " started_at DATETIME NOT NULL,"
                    + " updated_at DATETIME NOT NULL,"
                    + " completed_at DATETIME NULL,"
                    + " last_error VARCHAR(512) NULL,"
                    + " UNIQUE KEY ux_backfill_job_name (job_name),"
                    + " KEY ix_backfill_status_updated (status, updated_at))" + TABLE_OPTIONS);

    /**
     * Tables added for external keys, the event outbox and the Kafka ingest gateway (not in upstream StarDust).
     * Appended after every upstream step as separate create-if-not-exists statements. External
     * keys and outbox keys use a binary collation: {@code "Order-1"} and {@code "order-1"} are different keys,
     * unlike registry names.
     */
    private static final List<String> CREATE_INGEST = List.of(
            "CREATE TABLE IF NOT EXISTS stardust_entry_keys ("
                    + " tenant_id BIGINT NOT NULL,"
                    + " model_id INT NOT NULL,"
                    + " entry_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                    + " entry_id BIGINT NOT NULL,"
                    + " PRIMARY KEY (tenant_id, model_id, entry_key),"
                    + " KEY ix_entry_keys_entry (entry_id))" + TABLE_OPTIONS,
            // Delete-on-publish outbox: the AUTO_INCREMENT id is the relay order; a row exists until the relay
            // has the broker's acknowledgement, so the table holds only unpublished events.
            "CREATE TABLE IF NOT EXISTS stardust_entry_events ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " event_id CHAR(36) CHARACTER SET ascii NOT NULL,"
                    + " type ENUM('created','updated','deleted') NOT NULL,"
                    + " tenant_id BIGINT NOT NULL,"
                    + " model_id INT NOT NULL,"
                    + " entry_id BIGINT NOT NULL,"
                    + " entry_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,"
                    + " committed_at DATETIME(6) NOT NULL,"
                    + " UNIQUE KEY ux_entry_events_event_id (event_id))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_ingest_offsets ("
                    + " consumer_group VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                    + " topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                    + " kafka_partition INT NOT NULL,"
                    + " next_offset BIGINT NOT NULL,"
                    + " updated_at DATETIME(6) NOT NULL,"
                    + " PRIMARY KEY (consumer_group, topic, kafka_partition))" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS stardust_ingest_dlq ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " reason VARCHAR(64) NOT NULL,"
                    + " error_message TEXT NULL,"
                    + " source_topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                    + " source_partition INT NOT NULL,"
                    + " source_offset BIGINT NOT NULL,"
                    + " record_key VARBINARY(4096) NULL,"
                    + " record_value LONGBLOB NULL,"
                    + " tenant_id BIGINT NULL,"
                    + " received_at DATETIME(6) NOT NULL,"
                    + " attempt_count INT NOT NULL DEFAULT 1,"
                    + " last_attempt_at DATETIME(6) NOT NULL,"
                    + " UNIQUE KEY ux_ingest_dlq_source (source_topic, source_partition, source_offset),"
                    + " KEY ix_ingest_dlq_reason (reason, received_at),"
                    + " KEY ix_ingest_dlq_tenant (tenant_id, received_at),"
                    + " KEY ix_ingest_dlq_received (received_at))" + TABLE_OPTIONS);

    /** Enforces at most one live slot per field; free and tombstoned rows map to NULL and never collide. */
    static final String LIVE_SLOT_INDEX = "ux_slot_assignments_field_live";

    public void bootstrap(Connection c) throws SQLException {
        ServerVersionCheck.require(c);
        try (Statement s = c.createStatement()) {
            for (String ddl : CREATE) {
                s.execute(ddl);
            }
        }
        ensureIndex(c, "stardust_slot_assignments", LIVE_SLOT_INDEX,
                "CREATE UNIQUE INDEX " + LIVE_SLOT_INDEX + " ON stardust_slot_assignments ((CASE WHEN status IN "
                        + "('assigned','backfilling','ready') THEN field_id ELSE NULL END))");
        ensureColumn(c, "stardust_slot_assignments", "sweep_gap_count",
                "ALTER TABLE stardust_slot_assignments ADD COLUMN sweep_gap_count INT NOT NULL DEFAULT 0");
        ensureColumn(c, "backfill_checkpoints", "source_declared_type",
                "ALTER TABLE backfill_checkpoints ADD COLUMN source_declared_type VARCHAR(16) NULL");
        Sql.update(c, "INSERT INTO stardust_schema_version (id, version, updated_at) VALUES (1, 0, UTC_TIMESTAMP())"
                + " ON DUPLICATE KEY UPDATE id = id");
        ensureDlqReplayCount(c);
        try (Statement s = c.createStatement()) {
            for (String ddl : CREATE_INGEST) {
                s.execute(ddl);
            }
        }
        ensureIngestDlqDigests(c);
        ensurePackedOutbox(c);
        LaterSchemaSteps.apply(c);
    }

    /**
     * The original length and SHA-256 of a quarantined record's key and value: the DLQ stores a part longer than
     * its column (or its cap) as a prefix, and a row MySQL refuses as these columns alone, so they say what the
     * record was. Added to an existing table by separately probed steps; rows from before have NULLs, and their
     * parts are stored whole.
     */
    private static void ensureIngestDlqDigests(Connection c) throws SQLException {
        ensureColumn(c, "stardust_ingest_dlq", "record_key_bytes",
                "ALTER TABLE stardust_ingest_dlq ADD COLUMN record_key_bytes INT NULL");
        ensureColumn(c, "stardust_ingest_dlq", "record_key_sha256",
                "ALTER TABLE stardust_ingest_dlq ADD COLUMN record_key_sha256 CHAR(64) CHARACTER SET ascii NULL");
        ensureColumn(c, "stardust_ingest_dlq", "record_value_bytes",
                "ALTER TABLE stardust_ingest_dlq ADD COLUMN record_value_bytes INT NULL");
        ensureColumn(c, "stardust_ingest_dlq", "record_value_sha256",
                "ALTER TABLE stardust_ingest_dlq ADD COLUMN record_value_sha256 CHAR(64) CHARACTER SET ascii NULL");
    }

    /**
     * One outbox row may carry many events ({@code OutboxStore}): {@code event_count} says how many, and
     * {@code events} packs them when there is more than one or they carry after-images. Rows from before have 1 and
     * NULL: one event in the row's own columns, as they were written.
     */
    private static void ensurePackedOutbox(Connection c) throws SQLException {
        ensureColumn(c, "stardust_entry_events", "event_count",
                "ALTER TABLE stardust_entry_events ADD COLUMN event_count INT NOT NULL DEFAULT 1");
        ensureColumn(c, "stardust_entry_events", "events",
                "ALTER TABLE stardust_entry_events ADD COLUMN events LONGBLOB NULL");
    }

    /**
     * Not in upstream StarDust: how many times the entry of a sync-queue row has already been replayed from the
     * DLQ. Replay deletes the DLQ row, so the count rides on the re-enqueued queue row and is copied into the
     * DLQ row's {@code retry_count} if the entry fails again; the replay CLI's loop guard refuses rows whose count
     * reached the limit. Rows written by the write path get 0. A separately probed step appended after every
     * upstream step.
     */
    private static void ensureDlqReplayCount(Connection c) throws SQLException {
        ensureColumn(c, "stardust_sync_queue", "dlq_replays",
                "ALTER TABLE stardust_sync_queue ADD COLUMN dlq_replays INT NOT NULL DEFAULT 0");
    }

    static void ensureIndex(Connection c, String table, String index, String ddl) throws SQLException {
        long present = Sql.queryLong(c, "SELECT COUNT(*) FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?", 0, table, index);
        if (present > 0) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            if (e.getErrorCode() != Sql.ER_DUP_KEYNAME) { // a stale data-dictionary cache can hide the index
                throw e;
            }
        }
    }

    static void ensureColumn(Connection c, String table, String column, String ddl) throws SQLException {
        long present = Sql.queryLong(c, "SELECT COUNT(*) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?", 0, table, column);
        if (present > 0) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            if (e.getErrorCode() != Sql.ER_DUP_FIELDNAME) {
                throw e;
            }
        }
    }

}
