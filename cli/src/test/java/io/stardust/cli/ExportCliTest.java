package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code export:submit}, {@code export:status}, {@code export:download} and {@code chronicler} as real processes. */
@ExtendWith(MySqlExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportCliTest {
    private static final String BIG = "{\"version\":\"1\",\"filter\":{\"op\":\"gt\",\"field\":{\"model\":\"company\","
            + "\"name\":\"employees\"},\"value\":100}}";

    private final TestDatabase db;
    private HikariDataSource ds;

    @TempDir
    Path dir;

    ExportCliTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void seed() {
        db.reset();
        ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 2, "cli-test");
        StarDust engine = StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());
        engine.bootstrap();
        ModelDefinition m = engine.defineModel(1, "company", List.of(new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true)));
        engine.ensureSlots(1, m.modelId());
        engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Acme", "employees", 340)));
        engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Globex", "employees", 12)));
        engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Initech, Inc.", "employees", 150)));
    }

    @AfterAll
    void close() {
        ds.close();
    }

    private CliRunner cli() {
        return new CliRunner(db).withEnv("STARDUST_ARTIFACT_DIR", dir.resolve("exports").toString())
                .withEnv("STARDUST_PID_FILE_DIR", dir.resolve("run").toString())
                .withEnv("STARDUST_CHRONICLER_IDLE_INTERVAL_SECONDS", "1")
                .withEnv("STARDUST_CHRONICLER_LOW_DISK_THRESHOLD_PCT", "0");
    }

    @Test
    void aFilteredExportIsSubmittedWaitedForAndDownloadedWhileAChroniclerRuns() throws Exception {
        Path filter = Files.writeString(dir.resolve("big.json"), BIG);
        Process chronicler = cli().startLogged(dir.resolve("chronicler.out"), dir.resolve("chronicler.err"), "chronicler");
        try {
            CliRunner.Result submitted = cli().run("export:submit", "--tenant=1", "--model=company", "--format=csv",
                    "--filter=" + filter, "--wait");
            assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
            String[] lines = submitted.stdout().trim().split("\n");
            assertThat(lines).hasSize(2);
            long id = Long.parseLong(lines[0].trim());
            assertThat(Path.of(lines[1].trim())).exists();

            CliRunner.Result zipped = cli().run("export:submit", "--tenant=1", "--model=company", "--format=ndjson",
                    "--select=name", "--gzip", "--wait");
            assertThat(zipped.exitCode()).as(zipped.stderr()).isZero();
            long zid = Long.parseLong(zipped.stdout().trim().split("\n")[0].trim());

            Path out = dir.resolve("big.csv");
            CliRunner.Result download = cli().run("export:download", "--tenant=1", "--id=" + id, "-o", out.toString());
            assertThat(download.exitCode()).as(download.stderr()).isZero();
            assertThat(Files.readString(out)).isEqualTo("employees,name\r\n340,Acme\r\n150,\"Initech, Inc.\"\r\n");

            Path gz = dir.resolve("names.ndjson.gz");
            assertThat(cli().run("export:download", "--tenant=1", "--id=" + zid, "-o", gz.toString()).exitCode()).isZero();
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"name\":\"Acme\"}\n{\"name\":\"Globex\"}\n{\"name\":\"Initech, Inc.\"}\n");
            }

            CliRunner.Result status = cli().run("export:status", "--tenant=1", "--id=" + id, "--json");
            assertThat(status.json().get("status").asText()).isEqualTo("completed");
            assertThat(status.json().get("rowsExported").asLong()).isEqualTo(2);
            CliRunner.Result list = cli().run("export:status", "--tenant=1");
            assertThat(list.stdout()).contains("completed").contains(Long.toString(zid));

            assertThat(cli().run("export:download", "--tenant=2", "--id=" + id).exitCode()).as("another tenant's")
                    .isEqualTo(2);
            assertThat(cli().run("export:status", "--tenant=2", "--id=" + id).exitCode()).isEqualTo(2);
        } finally {
            chronicler.destroy();
            assertThat(chronicler.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(chronicler.exitValue()).isZero();
    }

    @Test
    void aRejectedFilterOrSelectOrFormatExitsTwoAndQueuesNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"version\":\"1\",\"filter\":{\"op\":\"eq\","
                + "\"field\":{\"model\":\"company\",\"name\":\"ghost\"},\"value\":1}}");
        CliRunner.Result unknown = cli().run("export:submit", "--tenant=1", "--model=company", "--filter=" + bad);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.json().get("errorCode").asText()).isNotEmpty();
        assertThat(cli().run("export:submit", "--tenant=1", "--model=company", "--select=name,ghost").exitCode())
                .isEqualTo(2);
        CliRunner.Result format = cli().run("export:submit", "--tenant=1", "--model=company", "--format=xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.stderr()).contains("csv, json or ndjson");
        assertThat(cli().run("export:submit", "--tenant=1", "--model=nope").exitCode()).isEqualTo(2);
        assertThat(io.stardust.EngineFixture.count(ds, "SELECT COUNT(*) FROM stardust_export_jobs WHERE tenant_id = 1"
                + " AND status = 'pending'")).isZero();
    }
}
