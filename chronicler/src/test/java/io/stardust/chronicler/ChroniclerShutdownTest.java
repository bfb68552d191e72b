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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM of a real Chronicler process mid-export hands the job to the next worker at once. */
@ExtendWith(MySqlExtension.class)
class ChroniclerShutdownTest {
    private static final int ENTRIES = 300;
    private static final int PAGE = 20;

    private final TestDatabase db;
    private ChroniclerFixture fx;
    private ModelDefinition model;

    ChroniclerShutdownTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = new ChroniclerFixture(db);
        model = fx.base.model(1, "company", new FieldSpec("name", DeclaredType.STRING, false));
        List<EntryPayload> batch = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            batch.add(EntryPayload.of(1, model.modelId(), Map.of("name", "Company " + i)));
        }
        fx.engine.bulkWrite(batch);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aChroniclerStoppedBySigtermReleasesItsLeaseSoAnotherWorkerResumesTheExportAtOnce() throws Exception {
        ExportRequest request = ExportRequest.of(1, model.modelId(), ExportFormat.NDJSON);
        long id = fx.engine.submitExport(request);
        Path log = fx.artifactDir.resolve("chronicler.log");
        try (KillableProcess child = KillableProcess.start(ChroniclerDaemon.class, Map.of(
                "STARDUST_DSN", db.jdbcUrl(), "STARDUST_USER", db.user(), "STARDUST_PASS", db.password(),
                "STARDUST_ARTIFACT_DIR", fx.artifactDir.toString(),
                "STARDUST_PID_FILE_DIR", fx.artifactDir.resolve("run").toString(),
                "STARDUST_CHRONICLER_PAGE_SIZE", Integer.toString(PAGE),
                "STARDUST_CHRONICLER_INTER_CHUNK_DELAY_MICROS", "500000",
                "STARDUST_CHRONICLER_LEASE_TIMEOUT_SECONDS", "3600",
                "STARDUST_CHRONICLER_LOW_DISK_THRESHOLD_PCT", "0"), log)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> fx.job(1, id).rowsExported() > 0);
            assertThat(child.terminate()).isZero();
        }
        ExportJob stopped = fx.job(1, id);
        assertThat(stopped.heartbeatAt()).as("released").isBefore(java.time.LocalDateTime.of(2000, 1, 1, 0, 0));
        assertThat(stopped.status()).isEqualTo("processing");
        assertThat(stopped.rowsExported()).isPositive().isLessThan(ENTRIES);

        // the same hour-long lease: only a released job can be taken over now
        fx.chronicler(ChroniclerFixture.config().withPageSize(PAGE).withLeaseTimeoutSeconds(3600)).build().tick();
        ExportJob resumed = fx.job(1, id);
        assertThat(resumed.status()).isEqualTo("completed");
        assertThat(resumed.artifactPath()).as("resumed in place").isEqualTo(stopped.artifactPath());
        assertThat(resumed.rowsExported()).isEqualTo(ENTRIES);

        long reference = fx.engine.submitExport(request);
        fx.chronicler(ChroniclerFixture.config().withPageSize(PAGE)).build().tick();
        assertThat(Files.readAllBytes(Path.of(resumed.artifactPath())))
                .isEqualTo(Files.readAllBytes(Path.of(fx.job(1, reference).artifactPath())));
    }
}
