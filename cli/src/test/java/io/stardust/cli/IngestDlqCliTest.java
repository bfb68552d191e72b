package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code bin/stardust ingest:dlq:list} and {@code ingest:dlq:replay} as real processes. */
@ExtendWith(MySqlExtension.class)
class IngestDlqCliTest {
    private final TestDatabase db;
    private final CliRunner cli;

    IngestDlqCliTest(TestDatabase db) {
        this.db = db;
        this.cli = new CliRunner(db);
    }

    @BeforeEach
    void bootstrap() throws Exception {
        db.reset();
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=1", "--name=note", "--field=title:string").exitCode()).isZero();
    }

    @Test
    void replayAllOverTenantlessRowsExitsZeroAndLandsTheRowsThatNowPlan() throws Exception {
        exec("INSERT INTO stardust_ingest_dlq (reason, error_message, source_topic, source_partition, source_offset, record_key,"
                + " record_value, tenant_id, received_at, attempt_count, last_attempt_at) VALUES"
                + " ('not_json', 'x', 'stardust.entries', 0, 1, 'k', 'not json', NULL, UTC_TIMESTAMP(6), 1, UTC_TIMESTAMP(6)),"
                + " ('malformed_envelope', 'x', 'stardust.entries', 0, 2, 'k', '[1,2]', NULL, UTC_TIMESTAMP(6), 1, UTC_TIMESTAMP(6)),"
                + " ('malformed_tombstone_key', 'x', 'stardust.entries', 0, 3, 'garbage', NULL, NULL, UTC_TIMESTAMP(6), 1, UTC_TIMESTAMP(6)),"
                + " ('internal_error', 'x', 'stardust.entries', 0, 4, 'k',"
                + "  '{\"tenantId\":1,\"model\":\"note\",\"key\":\"a\",\"fields\":{\"title\":\"A\"}}', NULL, UTC_TIMESTAMP(6), 1, UTC_TIMESTAMP(6)),"
                + " ('unknown_model', 'x', 'stardust.entries', 0, 5, '1',"
                + "  '{\"tenantId\":1,\"model\":\"note\",\"key\":\"b\",\"fields\":{\"title\":\"B\"}}', 1, UTC_TIMESTAMP(6), 1, UTC_TIMESTAMP(6))");

        CliRunner.Result replay = cli.run("ingest:dlq:replay", "--all", "--no-progress");

        assertThat(replay.exitCode()).as(replay.stderr()).isZero();
        assertThat(replay.stdout()).contains("5 matched: 2 landed, 3 failed again");
        assertThat(rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.title')) FROM entry_data ORDER BY id")).containsExactly("A", "B");
        assertThat(rows("SELECT CONCAT(reason, '|', COALESCE(tenant_id, '-'), '|', attempt_count) FROM stardust_ingest_dlq ORDER BY id"))
                .containsExactly("not_json|-|2", "malformed_envelope|-|2", "malformed_tombstone_key|-|2");

        CliRunner.Result list = cli.run("ingest:dlq:list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).containsPattern("not_json +- +stardust.entries/0@1");
    }

    @Test
    void anEmptyListExitsZeroAndADiscardIsLoggedPerRow() throws Exception {
        CliRunner.Result empty = cli.run("ingest:dlq:list");
        assertThat(empty.exitCode()).as(empty.stderr()).isZero();
        assertThat(empty.stdout().lines().toList()).hasSize(1).first().asString().startsWith("ID ");

        exec("INSERT INTO stardust_ingest_dlq (reason, error_message, source_topic, source_partition, source_offset, record_key,"
                + " record_value, tenant_id, received_at, attempt_count, last_attempt_at) VALUES"
                + " ('not_json', 'x', 'stardust.entries', 2, 40, NULL, 'not json', NULL, UTC_TIMESTAMP(6), 3, UTC_TIMESTAMP(6))");
        CliRunner.Result discard = cli.run("ingest:dlq:replay", "--discard", "--reason=not_json", "--no-progress");
        assertThat(discard.exitCode()).as(discard.stderr()).isZero();
        assertThat(discard.stdout()).contains("1 matched: 1 discarded", "stardust.entries/2@40 not_json");
        assertThat(discard.stderr()).contains("\"event\":\"dlq_row_discarded\"", "\"offset\":40", "\"value_bytes\":8");
        assertThat(rows("SELECT COUNT(*) FROM stardust_ingest_dlq")).containsExactly("0");
    }

    private void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
