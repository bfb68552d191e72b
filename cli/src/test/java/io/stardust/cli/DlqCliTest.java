package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
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

/** {@code bin/stardust reconciler:dlq:list} and {@code reconciler:dlq:replay} as real processes. */
@ExtendWith(MySqlExtension.class)
class DlqCliTest {
    private final TestDatabase db;
    private final CliRunner cli;

    DlqCliTest(TestDatabase db) {
        this.db = db;
        this.cli = new CliRunner(db);
    }

    @BeforeEach
    void seed() throws Exception {
        db.reset();
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        exec("INSERT INTO stardust_reconciler_dlq (source, entry_id, tenant_id, model_id, reason, error_message,"
                        + " failed_at, retry_count, chunk_correlation_id) VALUES"
                        + " ('sync_queue', 101, 7, 1, 'missing_entry_data', 'entry_data row 101 does not exist', UTC_TIMESTAMP() - INTERVAL 3 DAY, 0, 'c1'),"
                        + " ('sync_queue', 102, 7, 1, 'schema_incompatibility', 'field n: not an integer', UTC_TIMESTAMP() - INTERVAL 1 HOUR, 1, 'c2'),"
                        + " ('bulk_import', NULL, 8, 0, 'malformed_json', 'artifact unreadable', UTC_TIMESTAMP() - INTERVAL 2 DAY, 0, 'c3'),"
                        + " ('sync_queue', 104, 8, 2, 'schema_incompatibility', 'field n: not an integer', UTC_TIMESTAMP() - INTERVAL 5 DAY, 5, 'c4')");
    }

    private void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(row.toString());
            }
            return out;
        }
    }

    private String state() throws Exception {
        return rows("SELECT * FROM stardust_reconciler_dlq ORDER BY id") + "" + rows("SELECT * FROM stardust_sync_queue ORDER BY id");
    }

    @Test
    void listShowsATableOrJsonAndFiltersByTenantReasonAndAge() throws Exception {
        CliRunner.Result table = cli.run("reconciler:dlq:list");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains("ID", "SOURCE", "ATTEMPTS", "missing_entry_data", "bulk_import")
                .contains("4 of 4 matching row(s)");

        JsonNode json = Json.parse(cli.run("reconciler:dlq:list", "--tenant=8", "--format=json").stdout());
        assertThat(json.get("total").asInt()).isEqualTo(2);
        assertThat(json.get("rows")).extracting(r -> r.get("id").asInt()).containsExactly(3, 4);
        assertThat(json.get("rows").get(0).get("entry_id").isNull()).isTrue();
        assertThat(json.get("rows").get(1).get("retry_count").asInt()).isEqualTo(5);

        JsonNode old = Json.parse(cli.run("reconciler:dlq:list", "--older-than=1d", "--reason=schema_incompatibility",
                "--format=json").stdout());
        assertThat(old.get("rows")).extracting(r -> r.get("id").asInt()).containsExactly(4);
        assertThat(cli.run("reconciler:dlq:list", "--limit=1").stdout()).contains("1 of 4 matching row(s)");
        assertThat(cli.run("reconciler:dlq:list", "--older-than=soon").exitCode()).isEqualTo(2);
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNoRow() throws Exception {
        String before = state();

        CliRunner.Result r = cli.run("reconciler:dlq:replay", "--reason=schema_incompatibility", "--dry-run");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("would replay    dlq_id=2 entry_id=102")
                .contains("would hold back dlq_id=4 entry_id=104")
                .contains("dry run: would replay 1 DLQ row(s); re-enqueue entry_ids=[102]; hold back 1; nothing was changed");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aReplayReEnqueuesAndDeletesAndReportsRowsPastTheAttemptLimit() throws Exception {
        CliRunner.Result byId = cli.run("reconciler:dlq:replay", "--id=1");
        assertThat(byId.exitCode()).as(byId.stderr()).isZero();
        assertThat(byId.stdout()).contains("replayed 1 DLQ row(s); re-enqueued entry_ids=[101]");
        assertThat(rows("SELECT entry_id, dlq_replays FROM stardust_sync_queue")).containsExactly("101|1");
        assertThat(rows("SELECT id FROM stardust_reconciler_dlq ORDER BY id")).containsExactly("2", "3", "4");

        CliRunner.Result byReason = cli.run("reconciler:dlq:replay", "--reason=schema_incompatibility");
        assertThat(byReason.exitCode()).as(byReason.stderr()).isZero();
        assertThat(byReason.stdout()).contains("replayed 1 DLQ row(s); re-enqueued entry_ids=[102]")
                .contains("held back 1 DLQ row(s)").contains("dlq_ids=[4]");
        assertThat(byReason.stderr()).contains("warning: held back");
        assertThat(rows("SELECT id, retry_count FROM stardust_reconciler_dlq ORDER BY id")).containsExactly("3|0", "4|5");
        assertThat(rows("SELECT entry_id, dlq_replays FROM stardust_sync_queue ORDER BY id")).containsExactly("101|1", "102|2");

        CliRunner.Result lowerLimit = cli.withEnv("STARDUST_RECONCILER_DLQ_MAX_ATTEMPTS", "9")
                .run("reconciler:dlq:replay", "--tenant=8");
        assertThat(lowerLimit.stdout()).contains("replayed 2 DLQ row(s); re-enqueued entry_ids=[104]");
        assertThat(rows("SELECT COUNT(*) FROM stardust_reconciler_dlq")).containsExactly("0");
    }

    @Test
    void noMatchOrNoSelectorExitsTwoWithAClearMessageAndChangesNothing() throws Exception {
        String before = state();

        CliRunner.Result missing = cli.run("reconciler:dlq:replay", "--id=999");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no DLQ row matches --id=999");

        CliRunner.Result reason = cli.run("reconciler:dlq:replay", "--reason=other");
        assertThat(reason.exitCode()).isEqualTo(2);
        assertThat(reason.stderr()).contains("no DLQ row matches --reason=other");

        CliRunner.Result none = cli.run("reconciler:dlq:replay");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("--id=N, or at least one of --reason, --tenant, --older-than");

        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aLargeReplayReportsProgressAsPlainLinesOnAPipeAndIdWinsOverTheOtherFilters() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("SET SESSION cte_max_recursion_depth = 10000");
            s.execute("INSERT INTO stardust_reconciler_dlq (source, entry_id, tenant_id, model_id, reason, error_message,"
                    + " failed_at, retry_count, chunk_correlation_id) WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL"
                    + " SELECT n + 1 FROM seq WHERE n < 1500) SELECT 'sync_queue', 10000 + n, 9, 1, 'other', 'bulk',"
                    + " UTC_TIMESTAMP(), 0, 'big' FROM seq");
        }

        CliRunner.Result big = cli.run("reconciler:dlq:replay", "--tenant=9");

        assertThat(big.exitCode()).as(big.stderr()).isZero();
        assertThat(big.stdout()).contains("replayed 1500 DLQ row(s); re-enqueued entry_ids=[10001, 10002")
                .contains("(1400 more)]");
        assertThat(big.stderr()).containsPattern("(?m)^reconciler:dlq:replay: 1500/1500 rows \\(100%\\), \\d+ rows/s$")
                .doesNotContain("\r").doesNotContain("\u001b");
        assertThat(rows("SELECT COUNT(*) FROM stardust_sync_queue")).containsExactly("1500");

        CliRunner.Result idWins = cli.run("reconciler:dlq:replay", "--id=1", "--reason=other", "--dry-run");
        assertThat(idWins.exitCode()).isZero();
        assertThat(idWins.stderr()).contains("--id takes precedence");
        assertThat(idWins.stdout()).contains("would replay    dlq_id=1 entry_id=101");
    }
}
