package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import io.stardust.ingest.plan.RejectReason;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest:dlq:list} and {@code ingest:dlq:replay} (also {@code --discard}) in this JVM over a DLQ seeded
 * with every kind of row: with and without a tenant, tombstones, rows the DLQ holds only part of, and a row MySQL
 * refuses to write.
 */
@ExtendWith(MySqlExtension.class)
class IngestDlqCommandsTest {
    private static final String TOPIC = "stardust.entries";
    private static final String DEEP = "{\"tenantId\":1,\"model\":\"company\",\"key\":\"deep\",\"fields\":{\"d\":"
            + "[".repeat(120) + "]".repeat(120) + "}}";

    private final TestDatabase db;
    private EngineFixture fx;
    private String cfg;
    private long offset;
    @TempDir
    Path tmp;

    IngestDlqCommandsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() throws IOException {
        fx = EngineFixture.fresh(db);
        fx.engine.defineModel(1, "company", List.of(new FieldSpec("seq", DeclaredType.INT, false)));
        Properties p = new Properties();
        p.put("dsn", db.jdbcUrl());
        p.put("user", db.user());
        p.put("pass", db.password());
        Path f = tmp.resolve("gateway.properties");
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
    void replayAllLandsWhatNowPlansAndKeepsTenantlessRowsWithOneMoreAttempt() {
        seed("not_json", null, "k", "not json");
        seed("malformed_envelope", null, "k", "[1,2]");
        seed("malformed_tombstone_key", null, "garbage", null);
        seed("internal_error", null, "k", envelope("from-internal", 4));
        seed("unknown_model", 1L, "1", envelope("u1", 5));
        seed("unknown_model", 1L, "1", DEEP);
        seed("unknown_model", 1L, "1", envelope("u2", 6));
        String before = dlq();

        Run dry = run("ingest:dlq:replay", "--all", "--dry-run");
        assertThat(dry.code).as(dry.err).isZero();
        assertThat(dry.out).contains("dry run, nothing changed: 7 matched: 3 landed, 4 failed again");
        assertThat(dlq()).isEqualTo(before);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();

        Run replay = run("ingest:dlq:replay", "--all");
        assertThat(replay.code).as(replay.err).isZero();
        assertThat(replay.out).contains("7 matched: 3 landed, 4 failed again")
                .contains("@5 rejected_by_database: ", "depth");
        assertThat(fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.seq')) FROM entry_data ORDER BY id").toString())
                .isEqualTo("[[4], [5], [6]]");
        assertThat(fx.rows("SELECT source_offset, reason, tenant_id, attempt_count FROM stardust_ingest_dlq ORDER BY id").toString())
                .isEqualTo("[[0, not_json, null, 2], [1, malformed_envelope, null, 2], [2, malformed_tombstone_key, null, 2],"
                        + " [5, rejected_by_database, 1, 2]]");
    }

    @Test
    void replayOfARowTheDlqHoldsOnlyPartOfFailsAgainSayingSo() {
        long id = seed("not_json", null, "k", null);
        fx.exec("UPDATE stardust_ingest_dlq SET record_value_bytes = 70000, record_value_sha256 = '" + "ab".repeat(32)
                + "' WHERE id = " + id);

        Run replay = run("ingest:dlq:replay", "--id", Long.toString(id));

        assertThat(replay.code).as(replay.err).isZero();
        assertThat(replay.out).contains("1 matched: 0 landed, 1 failed again",
                "not_json: not replayable: the DLQ holds 0 of the record's 70000 value bytes");
        assertThat(fx.count("SELECT attempt_count FROM stardust_ingest_dlq WHERE id = ?", id)).isEqualTo(2);
    }

    @Test
    void listShowsEachRowsOwnTenantAndHowMuchOfAPartTheDlqHolds() {
        seed("not_json", null, "k", "not json");
        seed("unknown_model", 7L, "7/invoice/x", null);
        byte[] bigKey = new byte[5000];
        Arrays.fill(bigKey, (byte) 'q');
        try (Connection c = fx.ds.getConnection()) {
            c.setAutoCommit(false);
            new IngestDlqStore(1 << 20).insert(c, List.of(new Rejected(new SourceRecord(TOPIC, 0, 99, bigKey,
                    "x".getBytes(StandardCharsets.UTF_8), 0), RejectReason.NOT_JSON, "value is not JSON", null)), LocalDateTime.now());
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }

        Run list = run("ingest:dlq:list", "--show-value");

        assertThat(list.code).as(list.err).isZero();
        List<String> lines = list.out.lines().toList();
        assertThat(lines.get(1)).contains("not_json").containsPattern("not_json +- +");
        assertThat(lines.get(2)).as("key: k").contains("k");
        assertThat(lines.get(4)).containsPattern("unknown_model +7 +");
        assertThat(lines.get(6)).contains("value: (null: tombstone)");
        assertThat(lines.get(8)).contains("key:   (5000 bytes, sha256 " + IngestDlqStore.sha256(bigKey) + "; the DLQ holds the first 4096) qqq");
    }

    @Test
    void listOfNothingPrintsTheHeaderAndExitsZero() {
        Run empty = run("ingest:dlq:list");
        assertThat(empty.code).as(empty.err).isZero();
        assertThat(empty.out.lines().toList()).hasSize(1).first().asString().startsWith("ID ");

        seed("not_json", null, "k", "not json");
        Run none = run("ingest:dlq:list", "--reason", "too_large");
        assertThat(none.code).isZero();
        assertThat(none.out.lines().toList()).hasSize(1);
        assertThat(run("ingest:dlq:list", "--older-than", "soon").code).as("bad age: usage error").isEqualTo(2);
    }

    @Test
    void idAndCountOptionsTakeOnlyCanonicalNumbersAndNameTheOption() {
        seed("not_json", null, "k", "not json");
        for (String bad : new String[] {"+1", "01", "\uFF11", "0", "1.0", "x"}) {
            for (String[] args : "0".equals(bad) ? new String[][] {{"--tenant", bad}, {"--id", bad}}
                    : new String[][] {{"--tenant", bad}, {"--id", bad}, {"--limit", bad}}) {
                Run list = run("ingest:dlq:list", args);
                assertThat(list.code).as(String.join(" ", args) + ": " + list.err).isEqualTo(2);
                assertThat(list.err).contains(args[0]).contains("[1-9][0-9]*");
                Run replay = run("ingest:dlq:replay", args[0], bad, "--dry-run");
                assertThat(replay.code).as("replay " + String.join(" ", args)).isEqualTo(2);
            }
            Run attempts = run("ingest:dlq:replay", "--all", "--dry-run", "--max-attempts", bad);
            assertThat(attempts.code).as("--max-attempts " + bad).isEqualTo(2);
            assertThat(attempts.err).contains("--max-attempts");
        }
        assertThat(run("ingest:dlq:list", "--tenant", "1", "--limit", "5").code).isZero();
    }

    @Test
    void discardDeletesTheMatchingRowsAndLogsOneEventPerRow() {
        long a = seed("not_json", null, "k", "not json");
        long b = seed("not_json", null, null, "also not json");
        long keep = seed("unknown_model", 1L, "1", envelope("u1", 5));
        Logger logger = (Logger) LoggerFactory.getLogger("stardust.gateway");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Run dry = run("ingest:dlq:replay", "--discard", "--reason", "not_json", "--dry-run");
            assertThat(dry.code).as(dry.err).isZero();
            assertThat(dry.out).contains("dry run, nothing changed: 2 matched: 2 would be discarded",
                    "would discard: id " + a + " " + TOPIC + "/0@0 not_json tenant -", "would discard: id " + b + " ");
            assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isEqualTo(3);
            assertThat(logged.list).isEmpty();

            Run discard = run("ingest:dlq:replay", "--discard", "--reason", "not_json");
            assertThat(discard.code).as(discard.err).isZero();
            assertThat(discard.out).contains("2 matched: 2 discarded", "discarded: id " + a + " ", "discarded: id " + b + " ");
            assertThat(fx.rows("SELECT id FROM stardust_ingest_dlq").toString()).isEqualTo("[[" + keep + "]]");
        } finally {
            logger.detachAppender(logged);
        }
        List<Map<String, Object>> events = logged.list.stream().map(IngestDlqCommandsTest::keyValues).toList();
        assertThat(events).extracting(e -> e.get("event")).containsExactly("dlq_row_discarded", "dlq_row_discarded");
        assertThat(events.get(0)).containsEntry("dlq_id", a).containsEntry("reason", "not_json").containsEntry("offset", 0L)
                .containsEntry("value_bytes", 8).containsEntry("value_sha256", IngestDlqStore.sha256("not json".getBytes(StandardCharsets.UTF_8)))
                .containsEntry("key_bytes", 1);
        assertThat(events.get(1)).containsEntry("dlq_id", b).containsEntry("key_bytes", null);

        assertThat(run("ingest:dlq:replay", "--discard", "--reason", "not_json").code).as("nothing left").isEqualTo(2);
        assertThat(run("ingest:dlq:replay", "--discard").code).as("no filter").isEqualTo(2);
        assertThat(run("ingest:dlq:replay", "--discard", "--all", "--max-attempts", "3").code).isEqualTo(2);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isEqualTo(1);
    }

    @Test
    void listAsJsonGivesEachRowsOriginAttemptsAndPartsForScripts() throws Exception {
        long a = seed("not_json", null, "k", "not json");
        seed("unknown_model", 7L, "7/invoice/x", null);

        Run json = run("ingest:dlq:list", "--format=json", "--show-value", "--limit=1");

        assertThat(json.code).as(json.err).isZero();
        com.fasterxml.jackson.databind.JsonNode rows = io.stardust.engine.json.Json.parse(json.out).get("rows");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("id").asLong()).isEqualTo(a);
        assertThat(rows.get(0).get("reason").asText()).isEqualTo("not_json");
        assertThat(rows.get(0).get("tenant_id").isNull()).isTrue();
        assertThat(rows.get(0).get("source_topic").asText() + "/" + rows.get(0).get("source_offset").asLong()).isEqualTo(TOPIC + "/0");
        assertThat(rows.get(0).get("attempt_count").asInt()).isEqualTo(1);
        assertThat(rows.get(0).get("value").asText()).isEqualTo("not json");
        assertThat(rows.get(0).get("value_sha256").asText()).isEqualTo(IngestDlqStore.sha256("not json".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("ingest:dlq:list", "--format=yaml").code).as("unknown format: usage error").isEqualTo(2);
    }

    @Test
    void idWinsOverTheOtherFiltersAndSaysSoAndAllWithAFilterIsRefused() {
        long a = seed("not_json", null, "k", "not json");
        seed("not_json", null, "k", "not json either");

        Run list = run("ingest:dlq:list", "--id=" + a, "--reason=unknown_model");
        assertThat(list.code).as(list.err).isZero();
        assertThat(list.out.lines().toList()).hasSize(2);
        assertThat(list.out.lines().toList().get(1)).startsWith(a + " ");
        assertThat(list.err).contains("--id takes precedence");

        Run both = run("ingest:dlq:replay", "--all", "--reason=not_json", "--dry-run");
        assertThat(both.code).isEqualTo(2);
        assertThat(both.err).contains("--all selects every row");
        Run limited = run("ingest:dlq:replay", "--discard", "--all", "--limit=1");
        assertThat(limited.code).as(limited.err).isZero();
        assertThat(limited.out).contains("1 matched: 1 discarded", "discarded: id " + a + " ");
    }

    private static Map<String, Object> keyValues(ILoggingEvent e) {
        Map<String, Object> out = new HashMap<>();
        e.getKeyValuePairs().forEach(kv -> out.put(kv.key, kv.value));
        return out;
    }

    private static String envelope(String key, int seq) {
        return "{\"tenantId\":1,\"model\":\"company\",\"key\":\"" + key + "\",\"fields\":{\"seq\":" + seq + "}}";
    }

    /** A DLQ row as the gateway writes it (whole parts), at the next offset; returns its id. */
    private long seed(String reason, Long tenant, String key, String value) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        try (Connection c = fx.ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_ingest_dlq"
                + " (reason, error_message, source_topic, source_partition, source_offset, record_key, record_value,"
                + " record_key_bytes, record_key_sha256, record_value_bytes, record_value_sha256, tenant_id, received_at,"
                + " attempt_count, last_attempt_at) VALUES (?, 'seeded', ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), 1,"
                + " UTC_TIMESTAMP(6))", PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, reason);
            ps.setString(2, TOPIC);
            ps.setLong(3, offset++);
            ps.setBytes(4, k);
            ps.setBytes(5, v);
            ps.setObject(6, k == null ? null : k.length);
            ps.setString(7, IngestDlqStore.sha256(k));
            ps.setObject(8, v == null ? null : v.length);
            ps.setString(9, IngestDlqStore.sha256(v));
            ps.setObject(10, tenant);
            ps.executeUpdate();
            try (var keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String dlq() {
        return fx.rows("SELECT * FROM stardust_ingest_dlq ORDER BY id").stream().map(r -> r.stream()
                .map(o -> o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o)).toList().toString())
                .toList().toString();
    }

    private record Run(int code, String out, String err) {
    }

    /** The command as {@code bin/stardust} runs it (same exit codes), in this JVM. */
    private Run run(String command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new java.util.ArrayList<>(List.of(command));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--config", cfg));
        if (command.equals("ingest:dlq:replay")) {
            all.add("--no-progress");
        }
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
