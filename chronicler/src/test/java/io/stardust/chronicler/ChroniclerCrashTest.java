package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.DeclaredType;
import io.stardust.EntryPayload;
import io.stardust.ExportFormat;
import io.stardust.ExportJob;
import io.stardust.ExportRequest;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.kit.KillableProcess;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The crash table of the README, for real: a Chronicler process is SIGKILLed at each crash point (held there by
 * {@link HoldPoints}), another worker takes the job over once its lease is stale, and the finished artifact is
 * byte-identical to the artifact of an uninterrupted export of the same data.
 */
@ExtendWith(MySqlExtension.class)
class ChroniclerCrashTest {
    private static final int ENTRIES = 230;
    private static final int PAGE = 50;

    private final TestDatabase db;
    private ChroniclerFixture fx;
    private ModelDefinition model;

    ChroniclerCrashTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = new ChroniclerFixture(db);
        model = fx.base.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("tags", DeclaredType.STRING, false));
        List<EntryPayload> batch = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            batch.add(EntryPayload.of(1, model.modelId(), Map.of("name", "Company \"" + i + "\", Ltd.",
                    "employees", i * 7, "tags", List.of("a" + i, i))));
        }
        fx.engine.bulkWrite(batch);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @ParameterizedTest(name = "{0} ({1}, gzip {2})")
    @CsvSource({"mid_chunk:3, json, true", "mid_chunk:2, csv, false", "after_chunk_commit:2, ndjson, true",
            "before_completion:1, json, false"})
    void anExportKilledAtACrashPointAndTakenOverEndsByteIdenticalToAnUninterruptedOne(String holdAt, String format,
                                                                                     boolean gzip) throws Exception {
        ExportRequest request = ExportRequest.of(1, model.modelId(), ExportFormat.of(format)).withGzip(gzip);
        long crashed = fx.engine.submitExport(request);
        Path log = fx.artifactDir.resolve("chronicler.log");
        try (KillableProcess child = KillableProcess.start(ChroniclerDaemon.class, Map.of(
                "STARDUST_DSN", db.jdbcUrl(), "STARDUST_USER", db.user(), "STARDUST_PASS", db.password(),
                "STARDUST_ARTIFACT_DIR", fx.artifactDir.toString(),
                "STARDUST_PID_FILE_DIR", fx.artifactDir.resolve("run").toString(),
                "STARDUST_CHRONICLER_PAGE_SIZE", Integer.toString(PAGE),
                "STARDUST_CHRONICLER_LOW_DISK_THRESHOLD_PCT", "0",
                ChroniclerDaemon.HOLD_AT_ENV, holdAt), log)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(log)
                    && Files.readString(log).contains("crash point reached"));
            child.kill();
        }
        ExportJob before = fx.job(1, crashed);
        assertThat(before.status()).isEqualTo("processing");
        Path path = Path.of(before.artifactPath());

        // the lease expires (instead of waiting chroniclerLeaseTimeoutSeconds); another worker takes over
        fx.exec("UPDATE stardust_export_jobs SET heartbeat_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = " + crashed);
        fx.chronicler(ChroniclerFixture.config().withPageSize(PAGE)).build().tick();
        ExportJob resumed = fx.job(1, crashed);
        assertThat(resumed.status()).isEqualTo("completed");
        assertThat(resumed.artifactPath()).as("resumed in place").isEqualTo(path.toString());

        long reference = fx.engine.submitExport(request);
        fx.chronicler(ChroniclerFixture.config().withPageSize(PAGE)).build().tick();
        byte[] expected = Files.readAllBytes(Path.of(fx.job(1, reference).artifactPath()));
        assertThat(Files.readAllBytes(path)).isEqualTo(expected);
        assertThat(resumed.rowsExported()).isEqualTo(ENTRIES);
    }
}
