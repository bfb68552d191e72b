package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.engine.schema.SchemaBootstrapper;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class BootstrapTest {
    private final TestDatabase db;
    private EngineFixture fx;

    BootstrapTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void createsEveryTableOfTheSpecAndSeedsTheVersionSingleton() {
        List<String> tables = fx.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " ORDER BY TABLE_NAME").stream().map(r -> (String) r.get(0)).toList();
        assertThat(tables).containsExactlyInAnyOrderElementsOf(SchemaBootstrapper.TABLES);
        assertThat(fx.rows("SELECT id, version FROM stardust_schema_version")).containsExactly(List.of(1, java.math.BigInteger.ZERO));
        assertThat(fx.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_slot_assignments' AND COLUMN_NAME = 'sweep_gap_count'")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'backfill_checkpoints' AND COLUMN_NAME = 'source_declared_type'")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_sync_queue' AND COLUMN_NAME = 'dlq_replays' AND COLUMN_DEFAULT = '0'"
                + " AND IS_NULLABLE = 'NO'")).as("the DLQ loop guard's replay count").isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND INDEX_NAME IN ('ix_entry_data_tenant_model', 'ix_entry_data_tenant_lifecycle')")).isEqualTo(5);
        assertThat(fx.rows("SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN ('previous_name', 'deleted_at', 'correlation_id',"
                + " 'origin_correlation_id', 'artifact_bytes', 'rows_processed', 'coercion_nulls')").stream()
                .map(r -> (String) r.get(0)).toList())
                .as("the later schema deltas").containsExactlyInAnyOrder("entry_data.deleted_at", "stardust_fields.previous_name",
                        "stardust_fields.deleted_at", "stardust_models.deleted_at", "backfill_checkpoints.correlation_id",
                        "stardust_sync_queue.origin_correlation_id", "stardust_reconciler_dlq.origin_correlation_id",
                        "stardust_import_jobs.correlation_id", "stardust_export_jobs.correlation_id",
                        "stardust_export_jobs.artifact_bytes", "backfill_checkpoints.rows_processed",
                        "backfill_checkpoints.coercion_nulls");
        assertThat(fx.count("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_sync_queue' AND INDEX_NAME = 'ix_sync_queue_entry'")).isEqualTo(1);
    }

    @Test
    void secondRunChangesNothing() {
        fx.exec("INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields) VALUES (1, 1, NOW(), NOW(), '{\"sentinel\": true}')",
                "UPDATE stardust_schema_version SET version = 41 WHERE id = 1");
        String before = schemaFingerprint();

        fx.engine.bootstrap();
        fx.engine.bootstrap();

        assertThat(schemaFingerprint()).isEqualTo(before);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE JSON_EXTRACT(fields, '$.sentinel') = true")).isEqualTo(1);
        assertThat(fx.engine.schemaVersion()).isEqualTo(41);
    }

    @Test
    void anIngestDlqTableFromBeforeTheLengthAndHashColumnsGainsThemAndKeepsItsRows() {
        fx.exec("DROP TABLE stardust_ingest_dlq",
                "CREATE TABLE stardust_ingest_dlq (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, reason VARCHAR(64) NOT NULL,"
                        + " error_message TEXT NULL, source_topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                        + " source_partition INT NOT NULL, source_offset BIGINT NOT NULL, record_key VARBINARY(4096) NULL,"
                        + " record_value LONGBLOB NULL, tenant_id BIGINT NULL, received_at DATETIME(6) NOT NULL,"
                        + " attempt_count INT NOT NULL DEFAULT 1, last_attempt_at DATETIME(6) NOT NULL,"
                        + " UNIQUE KEY ux_ingest_dlq_source (source_topic, source_partition, source_offset))",
                "INSERT INTO stardust_ingest_dlq (reason, source_topic, source_partition, source_offset, record_key, record_value,"
                        + " received_at, last_attempt_at) VALUES ('not_json', 't', 0, 7, 'k', 'v', NOW(6), NOW(6))");

        fx.engine.bootstrap();

        assertThat(fx.rows("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_ingest_dlq' AND COLUMN_NAME IN ('record_key_bytes', 'record_key_sha256',"
                + " 'record_value_bytes', 'record_value_sha256')"
                + " ORDER BY COLUMN_NAME").toString()).isEqualTo("[[record_key_bytes, int, YES], [record_key_sha256, char(64), YES],"
                + " [record_value_bytes, int, YES], [record_value_sha256, char(64), YES]]");
        assertThat(fx.rows("SELECT reason, source_offset, record_key_bytes FROM stardust_ingest_dlq").toString())
                .isEqualTo("[[not_json, 7, null]]");
    }

    @Test
    void liveSlotIndexAllowsManyFreeRowsButOneLiveSlotPerField() {
        ModelDefinition m = fx.engine.defineModel(1, "m", List.of(new FieldSpec("a", DeclaredType.STRING, true)));
        fx.engine.provisionPage(List.of());
        long field = m.fieldId("a");
        fx.exec("UPDATE stardust_slot_assignments SET status = 'assigned', field_id = " + field + " WHERE slot_column = 'i_str_01'");
        assertThatThrownBy(() -> fx.exec("UPDATE stardust_slot_assignments SET status = 'ready', field_id = " + field
                + " WHERE slot_column = 'i_str_02'"))
                .rootCause().isInstanceOf(SQLException.class).hasMessageContaining("ux_slot_assignments_field_live");
        fx.exec("UPDATE stardust_slot_assignments SET status = 'tombstoned', field_id = NULL WHERE slot_column = 'i_str_03'");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'free'")).isEqualTo(58);
        assertThatThrownBy(() -> fx.exec("UPDATE stardust_slot_assignments SET status = 'bogus' WHERE slot_column = 'i_str_04'"))
                .rootCause().isInstanceOf(SQLException.class);
    }

    private String schemaFingerprint() {
        return fx.rows("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION").toString()
                + fx.rows("SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, SEQ_IN_INDEX FROM information_schema.STATISTICS"
                        + " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")
                + fx.rows("SELECT COUNT(*) FROM stardust_schema_version");
    }
}
