-- The schema exactly as release 0.3.0-alpha.1 left it (SHOW CREATE TABLE after its bootstrap), for the
-- upgrade test: bootstrap of a later release must add its deltas to this schema without losing data.

CREATE TABLE `entry_data` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `tenant_id` bigint NOT NULL,
  `model_id` int NOT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  `deleted_at` datetime DEFAULT NULL,
  `fields` json NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_entry_data_tenant_model` (`tenant_id`,`model_id`),
  KEY `ix_entry_data_tenant_lifecycle` (`tenant_id`,`deleted_at`,`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_sync_queue` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `entry_id` bigint NOT NULL,
  `created_at` datetime NOT NULL,
  `dlq_replays` int NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_models` (
  `id` int NOT NULL AUTO_INCREMENT,
  `tenant_id` bigint NOT NULL,
  `name` varchar(128) NOT NULL,
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_models_tenant_name` (`tenant_id`,`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_fields` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `model_id` int NOT NULL,
  `name` varchar(128) NOT NULL,
  `declared_type` enum('string','int','numeric','datetime') NOT NULL,
  `is_filterable` tinyint(1) NOT NULL DEFAULT '0',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_fields_model_name` (`model_id`,`name`),
  CONSTRAINT `fk_fields_model` FOREIGN KEY (`model_id`) REFERENCES `stardust_models` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_pages` (
  `id` int NOT NULL AUTO_INCREMENT,
  `table_name` varchar(64) NOT NULL,
  `provisioned_at` datetime NOT NULL,
  `provisioned_by` varchar(128) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_pages_table_name` (`table_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_slot_assignments` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `page_id` int NOT NULL,
  `slot_column` varchar(16) NOT NULL,
  `slot_type` enum('str','int','num','dt') NOT NULL,
  `field_id` bigint DEFAULT NULL,
  `status` enum('free','assigned','tombstoned','backfilling','ready') NOT NULL DEFAULT 'free',
  `sweep_cursor_id` bigint DEFAULT NULL,
  `tombstoned_at` datetime DEFAULT NULL,
  `updated_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `sweep_gap_count` int NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_slot_assignments_page_column` (`page_id`,`slot_column`),
  UNIQUE KEY `ux_slot_assignments_field_live` (((case when (`status` in (_utf8mb4'assigned',_utf8mb4'backfilling',_utf8mb4'ready')) then `field_id` else NULL end))),
  KEY `ix_slot_assignments_status_type` (`status`,`slot_type`),
  KEY `ix_slot_assignments_page_status` (`page_id`,`status`),
  KEY `fk_slot_assignments_field` (`field_id`),
  CONSTRAINT `fk_slot_assignments_field` FOREIGN KEY (`field_id`) REFERENCES `stardust_fields` (`id`),
  CONSTRAINT `fk_slot_assignments_page` FOREIGN KEY (`page_id`) REFERENCES `stardust_pages` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_schema_version` (
  `id` tinyint NOT NULL,
  `version` bigint unsigned NOT NULL DEFAULT '0',
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `ck_schema_version_singleton` CHECK ((`id` = 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_export_jobs` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `tenant_id` bigint NOT NULL,
  `status` enum('pending','processing','completed','failed') NOT NULL DEFAULT 'pending',
  `filter` json NOT NULL,
  `format` enum('csv','json') NOT NULL,
  `last_cursor` bigint DEFAULT NULL,
  `artifact_path` varchar(512) DEFAULT NULL,
  `failed_reason` varchar(64) DEFAULT NULL,
  `skip_count` int unsigned NOT NULL DEFAULT '0',
  `worker_identity` varchar(128) DEFAULT NULL,
  `claimed_at` datetime DEFAULT NULL,
  `heartbeat_at` datetime DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `completed_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_export_jobs_status_created` (`status`,`created_at`),
  KEY `ix_export_jobs_tenant_status` (`tenant_id`,`status`),
  KEY `ix_export_jobs_status_heartbeat` (`status`,`heartbeat_at`),
  KEY `ix_export_jobs_completed` (`completed_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_import_jobs` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `tenant_id` bigint NOT NULL,
  `status` enum('pending','processing','completed','failed') NOT NULL DEFAULT 'pending',
  `idempotency_key` varchar(128) DEFAULT NULL,
  `artifact_path` varchar(512) NOT NULL,
  `entry_count` int unsigned NOT NULL,
  `manifest` json DEFAULT NULL,
  `failed_reason` varchar(64) DEFAULT NULL,
  `worker_identity` varchar(128) DEFAULT NULL,
  `claimed_at` datetime DEFAULT NULL,
  `heartbeat_at` datetime DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `completed_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_import_jobs_tenant_idempotency` (`tenant_id`,`idempotency_key`),
  KEY `ix_import_jobs_status_created` (`status`,`created_at`),
  KEY `ix_import_jobs_tenant_status` (`tenant_id`,`status`),
  KEY `ix_import_jobs_status_heartbeat` (`status`,`heartbeat_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_reconciler_dlq` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `source` enum('sync_queue','bulk_import') NOT NULL,
  `entry_id` bigint DEFAULT NULL,
  `tenant_id` bigint NOT NULL,
  `model_id` int NOT NULL,
  `reason` enum('malformed_json','missing_entry_data','schema_incompatibility','other') NOT NULL,
  `error_message` text,
  `failed_at` datetime NOT NULL,
  `retry_count` int NOT NULL DEFAULT '0',
  `chunk_correlation_id` varchar(36) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_dlq_source_failed_at` (`source`,`failed_at`),
  KEY `ix_dlq_entry` (`entry_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `backfill_checkpoints` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `job_name` varchar(128) NOT NULL,
  `last_processed_id` bigint NOT NULL DEFAULT '0',
  `status` enum('running','paused','completed','failed') NOT NULL DEFAULT 'running',
  `started_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  `completed_at` datetime DEFAULT NULL,
  `last_error` varchar(512) DEFAULT NULL,
  `source_declared_type` varchar(16) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_backfill_job_name` (`job_name`),
  KEY `ix_backfill_status_updated` (`status`,`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_entry_keys` (
  `tenant_id` bigint NOT NULL,
  `model_id` int NOT NULL,
  `entry_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `entry_id` bigint NOT NULL,
  PRIMARY KEY (`tenant_id`,`model_id`,`entry_key`),
  KEY `ix_entry_keys_entry` (`entry_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_entry_events` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `event_id` char(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  `type` enum('created','updated','deleted') NOT NULL,
  `tenant_id` bigint NOT NULL,
  `model_id` int NOT NULL,
  `entry_id` bigint NOT NULL,
  `entry_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  `committed_at` datetime(6) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_entry_events_event_id` (`event_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_ingest_offsets` (
  `consumer_group` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `topic` varchar(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `kafka_partition` int NOT NULL,
  `next_offset` bigint NOT NULL,
  `updated_at` datetime(6) NOT NULL,
  PRIMARY KEY (`consumer_group`,`topic`,`kafka_partition`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

CREATE TABLE `stardust_ingest_dlq` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `reason` varchar(64) NOT NULL,
  `error_message` text,
  `source_topic` varchar(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `source_partition` int NOT NULL,
  `source_offset` bigint NOT NULL,
  `record_key` varbinary(4096) DEFAULT NULL,
  `record_value` longblob,
  `tenant_id` bigint DEFAULT NULL,
  `received_at` datetime(6) NOT NULL,
  `attempt_count` int NOT NULL DEFAULT '1',
  `last_attempt_at` datetime(6) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_ingest_dlq_source` (`source_topic`,`source_partition`,`source_offset`),
  KEY `ix_ingest_dlq_reason` (`reason`,`received_at`),
  KEY `ix_ingest_dlq_tenant` (`tenant_id`,`received_at`),
  KEY `ix_ingest_dlq_received` (`received_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;

INSERT INTO stardust_schema_version (id, version, updated_at) VALUES (1, 0, UTC_TIMESTAMP());
