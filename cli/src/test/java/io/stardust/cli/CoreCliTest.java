package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MySqlExtension.class)
class CoreCliTest {
    private final TestDatabase db;
    private final CliRunner cli;
    @TempDir
    Path tmp;

    CoreCliTest(TestDatabase db) {
        this.db = db;
        this.cli = new CliRunner(db);
    }

    @BeforeEach
    void resetDatabase() {
        db.reset();
    }

    @Test
    void bootstrapIsIdempotentAndReportsBadInputWithTheRightExitCode() throws Exception {
        CliRunner.Result first = cli.run("bootstrap");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("bootstrap complete");
        String schema = schemaFingerprint();
        CliRunner.Result second = cli.run("bootstrap");
        assertThat(second.exitCode()).isZero();
        assertThat(schemaFingerprint()).isEqualTo(schema);

        CliRunner.Result badDsn = new CliRunner(db).withEnv("STARDUST_DSN", "jdbc:mysql://127.0.0.1:1/nope").run("bootstrap");
        assertThat(badDsn.exitCode()).isEqualTo(1);
        assertThat(badDsn.stderr().strip().lines().count()).as(badDsn.stderr()).isEqualTo(1);
        assertThat(badDsn.stderr()).startsWith("stardust bootstrap: error:");

        CliRunner.Result unknown = cli.run("bootstrap", "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("--frobnicate");

        CliRunner.Result noDsn = new CliRunner(db).withEnv("STARDUST_DSN", "").run("bootstrap");
        assertThat(noDsn.exitCode()).isEqualTo(2);
        assertThat(noDsn.stderr()).contains("STARDUST_DSN");

        assertThat(cli.run("--version").stdout()).startsWith("stardust 0.3.0");
        assertThat(cli.run("no-such-command").exitCode()).isEqualTo(2);
    }

    @Test
    void modelDefineWithProvisionMakesFieldsQueryableAndIsIdempotent() throws Exception {
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        String[] define = {"model:define", "--tenant=7", "--name=company", "--field=name:string:filterable",
                "--field=employees:int:filterable", "--field=founded:datetime:filterable", "--field=city:string", "--provision"};
        CliRunner.Result r = cli.run(define);
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        JsonNode described = Json.parse(cli.run("model:describe", "--tenant=7", "--name=company", "--json").stdout());
        assertThat(described.get("fields")).hasSize(4);
        for (JsonNode f : described.get("fields")) {
            boolean filterable = f.get("filterable").asBoolean();
            assertThat(f.get("indexed").asBoolean()).as(f.toString()).isEqualTo(filterable);
            assertThat(f.get("slotStatus").isNull()).as(f.toString()).isEqualTo(!filterable);
        }
        assertThat(described.get("fields").get(0).get("slotColumn").asText()).isEqualTo("i_str_01");
        assertThat(described.get("fields").get(0).get("pageId").asInt()).isEqualTo(1);

        String registry = registryFingerprint();
        CliRunner.Result again = cli.run(define);
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("already holds a slot");
        assertThat(registryFingerprint()).isEqualTo(registry);

        assertThat(cli.run("model:list", "--tenant=7").stdout()).contains("company");
        assertThat(cli.run("model:define", "--tenant=7", "--name=x", "--field=broken").exitCode()).isEqualTo(2);
        assertThat(cli.run("model:describe", "--tenant=7", "--name=missing").exitCode()).isEqualTo(2);
    }

    @Test
    void entryWriteOfTenThousandLinesRoundTripsEveryValueAndReportsBadLines() throws Exception {
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=3", "--name=item", "--field=sku:string:filterable",
                "--field=qty:int:filterable", "--field=price:numeric:filterable", "--field=seen:datetime:filterable",
                "--field=note:string", "--provision").exitCode()).isZero();
        Path input = tmp.resolve("items.ndjson");
        Random random = new Random(42);
        int lines = 10_000;
        int malformedLine = 4_321;
        int uncoercibleLine = 8_765;
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= lines; i++) {
                if (i == malformedLine) {
                    w.write("{\"sku\": \"broken\"\n");
                    continue;
                }
                if (i == uncoercibleLine) {
                    w.write("{\"sku\":\"bad-qty\",\"qty\":\"many\"}\n");
                    continue;
                }
                w.write("{\"sku\":\"sku-" + i + "\",\"qty\":" + (random.nextInt(2_000_000) - 1_000_000)
                        + ",\"price\":" + (i / 8.0) + ",\"seen\":\"2026-03-" + String.format("%02d", 1 + i % 28)
                        + "T10:00:00+02:00\",\"note\":\"ünïcode ✓ " + i + "\",\"tags\":[" + i + "]}\n");
            }
        }
        CliRunner.Result r = cli.run("entry:write", "--tenant=3", "--model=item", input.toString());
        assertThat(r.exitCode()).as("a line failed").isEqualTo(1);
        assertThat(r.stdout()).contains("wrote " + (lines - 2) + " entries, 2 failed");
        assertThat(r.stderr()).contains("line " + malformedLine + ": not valid JSON");
        assertThat(r.stderr()).containsPattern("line " + uncoercibleLine + ": .*qty");

        // Every value round-trips: compare the input with entry:get for a sample, and all slot values by SQL.
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT JSON_EXTRACT(fields, '$.sku')) FROM entry_data")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(lines - 2);
                assertThat(rs.getInt(2)).isEqualTo(lines - 2);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM entry_data e JOIN entry_slots_page_1 p ON p.entry_id = e.id"
                    + " WHERE p.i_str_01 = JSON_UNQUOTE(JSON_EXTRACT(e.fields, '$.sku'))"
                    + " AND p.i_int_01 = JSON_EXTRACT(e.fields, '$.qty') AND p.i_num_01 = JSON_EXTRACT(e.fields, '$.price')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("slot values equal payload values").isEqualTo(lines - 2);
            }
        }
        java.util.List<String> all = Files.readAllLines(input);
        for (int id : new int[] {1, 2, 4320, 4321, 9998}) {
            CliRunner.Result got = cli.run("entry:get", "--tenant=3", "--id=" + id);
            assertThat(got.exitCode()).as(got.stderr()).isZero();
            JsonNode entry = Json.parse(got.stdout());
            int lineNo = id < malformedLine ? id : (id < uncoercibleLine - 1 ? id + 1 : id + 2);
            // as written, except the datetime, shown in UTC as its declared type's canonical form (docs/search.md)
            JsonNode expected = Json.parse(all.get(lineNo - 1).replaceAll("T10:00:00\\+02:00", " 08:00:00"));
            assertThat(entry.get("fields")).isEqualTo(expected);
        }
        assertThat(cli.run("entry:get", "--tenant=4", "--id=1").exitCode()).as("other tenant").isEqualTo(2);
        assertThat(cli.run("entry:get", "--tenant=3", "--id=999999").exitCode()).isEqualTo(2);
    }

    private String schemaFingerprint() throws Exception {
        return query("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " ORDER BY 1, 2") + query("SELECT version FROM stardust_schema_version");
    }

    private String registryFingerprint() throws Exception {
        return query("SELECT * FROM stardust_models ORDER BY id") + query("SELECT id, name, declared_type, is_filterable FROM stardust_fields ORDER BY id")
                + query("SELECT id, page_id, slot_column, status, field_id FROM stardust_slot_assignments ORDER BY id")
                + query("SELECT version FROM stardust_schema_version");
    }

    private String query(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
