package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.db.Pools;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bootstrap upgrades a database that the previous release created and filled, in place and idempotently. */
@ExtendWith(MySqlExtension.class)
class SchemaUpgradeTest {
    private final TestDatabase db;

    SchemaUpgradeTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void bootstrapAddsTheLaterSchemaToAPopulatedPreviousReleaseDatabaseWithoutLosingData() throws Exception {
        String freshSchema;
        try (EngineFixture fresh = EngineFixture.fresh(db)) {
            freshSchema = fingerprint(fresh.ds);
        }
        db.reset();
        try (var ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 2, "upgrade")) {
            run(ds, previousReleaseSchema());
            run(ds, List.of(
                    "INSERT INTO stardust_models (id, tenant_id, name, created_at) VALUES (1, 7, 'company', UTC_TIMESTAMP())",
                    "INSERT INTO stardust_fields (id, model_id, name, declared_type, is_filterable, created_at, updated_at)"
                            + " VALUES (1, 1, 'name', 'string', TRUE, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
                    "INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields)"
                            + " VALUES (7, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP(), '{\"name\": \"Acme\"}')",
                    "INSERT INTO stardust_sync_queue (entry_id, created_at) VALUES (1, UTC_TIMESTAMP())",
                    "INSERT INTO backfill_checkpoints (job_name, last_processed_id, status, started_at, updated_at,"
                            + " source_declared_type) VALUES ('retype_field_1', 1, 'completed', UTC_TIMESTAMP(), UTC_TIMESTAMP(), 'int')",
                    "UPDATE stardust_schema_version SET version = 12 WHERE id = 1"));
            StarDust engine = StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());

            engine.bootstrap();
            String upgraded = fingerprint(ds);
            engine.bootstrap();

            assertThat(upgraded).isEqualTo(freshSchema);
            assertThat(fingerprint(ds)).as("a second run changes nothing").isEqualTo(upgraded);
            assertThat(EngineFixture.rows(ds, "SELECT name, previous_name, deleted_at FROM stardust_fields"))
                    .containsExactly(java.util.Arrays.asList("name", null, null));
            assertThat(EngineFixture.rows(ds, "SELECT job_name, status, rows_processed, coercion_nulls, correlation_id,"
                    + " claimed_by, lease_until FROM backfill_checkpoints")).as("existing checkpoints are unleased")
                    .containsExactly(java.util.Arrays.asList("retype_field_1", "completed", 0L, 0L, null, null, null));
            assertThat(EngineFixture.count(ds, "SELECT COUNT(*) FROM stardust_sync_queue WHERE entry_id = 1")).isEqualTo(1);
            assertThat(engine.schemaVersion()).isEqualTo(12);
            assertThat(engine.get(7, 1).orElseThrow().fields().get("name").asText()).isEqualTo("Acme");
        }
    }

    private static List<String> previousReleaseSchema() throws IOException {
        try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream("/schema/release-0.3.0-alpha.1.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return java.util.Arrays.stream(text.split(";\\s*\\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    private static void run(DataSource ds, List<String> statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static String fingerprint(DataSource ds) {
        return EngineFixture.rows(ds, "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION")
                + "\n" + EngineFixture.rows(ds, "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, SEQ_IN_INDEX, EXPRESSION"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
    }
}
