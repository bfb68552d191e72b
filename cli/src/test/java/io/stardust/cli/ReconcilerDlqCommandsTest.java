package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.EngineFixture;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code reconciler:dlq:*} in this JVM with the options it shares with {@code ingest:dlq:*}: several {@code --id},
 * {@code --all}, {@code --limit}, {@code --max-attempts}, {@code --discard} (with {@code --dry-run}) and
 * {@code --format=json}; and the parser check that both DLQs take the same option set.
 */
@ExtendWith(MySqlExtension.class)
class ReconcilerDlqCommandsTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private String cfg;
    @TempDir
    Path tmp;

    ReconcilerDlqCommandsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() throws IOException {
        fx = EngineFixture.fresh(db);
        Properties p = new Properties();
        p.put("dsn", db.jdbcUrl());
        p.put("user", db.user());
        p.put("pass", db.password());
        Path f = tmp.resolve("reconciler.properties");
        try (var out = Files.newBufferedWriter(f)) {
            p.store(out, null);
        }
        cfg = f.toString();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void bothDlqsTakeTheSameOptionSet() {
        CommandLine cli = Main.commandLine();
        Set<String> reconcilerList = options(cli, "reconciler:dlq:list");
        Set<String> ingestList = options(cli, "ingest:dlq:list");
        ingestList.remove("--show-value"); // the reconciler's DLQ holds no record: its entry is in entry_data
        assertThat(reconcilerList).isEqualTo(ingestList)
                .contains("--id", "--reason", "--tenant", "--older-than", "--limit", "--format", "--config");
        assertThat(options(cli, "reconciler:dlq:replay")).isEqualTo(options(cli, "ingest:dlq:replay"))
                .contains("--id", "--reason", "--tenant", "--older-than", "--limit", "--dry-run", "--discard", "--all",
                        "--max-attempts", "--no-progress", "--config");
    }

    @Test
    void discardDeletesTheSelectedRowsWithoutReEnqueuingAndADryRunChangesNothing() {
        long old = seed(11L, 7, "other", 48, 0);
        long bulk = seed(null, 7, "other", 47, 2);
        long recent = seed(12L, 7, "other", 0, 0);
        long otherTenant = seed(13L, 8, "other", 48, 0);

        Run dry = run("reconciler:dlq:replay", "--discard", "--tenant=7", "--older-than=1d", "--dry-run");
        assertThat(dry.code).as(dry.err).isZero();
        assertThat(dry.out).contains("dry run, nothing changed: 2 matched: 2 would be discarded",
                "would discard: dlq_id=" + old + " entry_id=11 tenant=7", "would discard: dlq_id=" + bulk + " entry_id=-");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq")).isEqualTo(4);

        Run discard = run("reconciler:dlq:replay", "--discard", "--tenant=7", "--older-than=1d");
        assertThat(discard.code).as(discard.err).isZero();
        assertThat(discard.out).contains("2 matched: 2 discarded", "discarded: dlq_id=" + old + " ");
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq ORDER BY id")).containsExactly(List.of(recent), List.of(otherTenant));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).as("nothing re-enqueued").isZero();

        Run none = run("reconciler:dlq:replay", "--discard", "--tenant=7", "--older-than=1d");
        assertThat(none.code).as("no matching row").isEqualTo(2);
        assertThat(none.err).contains("no DLQ row matches");
        assertThat(run("reconciler:dlq:replay", "--discard", "--all", "--max-attempts=3").code).isEqualTo(2);
    }

    @Test
    void severalIdsAllLimitAndMaxAttemptsSelectWhatTheySay() {
        long a = seed(21L, 1, "other", 1, 0);
        long b = seed(22L, 1, "other", 1, 0);
        long c = seed(23L, 1, "other", 1, 1);
        long d = seed(24L, 1, "other", 1, 0);

        Run byIds = run("reconciler:dlq:replay", "--id=" + a + "," + c, "--max-attempts=1", "--reason=malformed_json");
        assertThat(byIds.code).as(byIds.err).isZero();
        assertThat(byIds.err).contains("--id takes precedence");
        assertThat(byIds.out).contains("replayed 1 DLQ row(s); re-enqueued entry_ids=[21]", "held back 1 DLQ row(s)");

        assertThat(run("reconciler:dlq:replay").code).as("no selector").isEqualTo(2);
        Run oldestOne = run("reconciler:dlq:replay", "--all", "--limit=1", "--max-attempts=5");
        assertThat(oldestOne.code).as(oldestOne.err).isZero();
        assertThat(oldestOne.out).contains("replayed 1 DLQ row(s); re-enqueued entry_ids=[22]");
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq ORDER BY id")).containsExactly(List.of(c), List.of(d));
        assertThat(b).isLessThan(c);
    }

    @Test
    void listTakesIdsAndPrintsJson() throws Exception {
        long a = seed(31L, 1, "malformed_json", 1, 0);
        seed(32L, 1, "other", 1, 0);
        long c = seed(33L, 2, "other", 1, 0);

        Run list = run("reconciler:dlq:list", "--id", Long.toString(a), "--id", Long.toString(c), "--format=json");

        assertThat(list.code).as(list.err).isZero();
        JsonNode root = Json.parse(list.out);
        assertThat(root.get("total").asLong()).isEqualTo(2);
        assertThat(root.get("rows").findValuesAsText("entry_id")).containsExactly("31", "33");
        assertThat(run("reconciler:dlq:list", "--id=01").code).as("non-canonical id").isEqualTo(2);
        assertThat(run("reconciler:dlq:list", "--older-than=soon").code).as("bad age").isEqualTo(2);
    }

    private static Set<String> options(CommandLine cli, String command) {
        Set<String> names = new TreeSet<>();
        cli.getSubcommands().get(command).getCommandSpec().options().forEach(o -> names.add(o.longestName()));
        names.removeAll(List.of("--help", "--version"));
        return names;
    }

    /** A DLQ row that failed {@code hoursAgo} hours ago; returns its id. */
    private long seed(Long entryId, long tenant, String reason, int hoursAgo, int retryCount) {
        fx.exec("INSERT INTO stardust_reconciler_dlq (source, entry_id, tenant_id, model_id, reason, error_message,"
                + " failed_at, retry_count, chunk_correlation_id) VALUES ('" + (entryId == null ? "bulk_import" : "sync_queue")
                + "', " + (entryId == null ? "NULL" : entryId) + ", " + tenant + ", 1, '" + reason + "', 'seeded',"
                + " UTC_TIMESTAMP() - INTERVAL " + hoursAgo + " HOUR, " + retryCount + ", 'seed')");
        return fx.count("SELECT MAX(id) FROM stardust_reconciler_dlq");
    }

    private record Run(int code, String out, String err) {
    }

    /** The command as {@code bin/stardust} runs it (same exit codes), in this JVM. */
    private Run run(String command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--config", cfg));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
