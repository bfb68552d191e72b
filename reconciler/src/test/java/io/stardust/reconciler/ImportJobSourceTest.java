package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ImportJob;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MySqlExtension.class)
class ImportJobSourceTest {
    private final TestDatabase db;
    @TempDir
    Path artifacts;
    private EngineFixture fx;
    private EventCapture events;

    ImportJobSourceTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db, artifacts);
        events = EventCapture.open();
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    @Test
    void submittedJobsCompleteUnderARunningReconcilerAndReportTheirProgress() throws Exception {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("name", DeclaredType.STRING, true));
        List<EntryPayload> payloads = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            payloads.add(EntryPayload.of(1, m.modelId(), Map.of("name", "n" + i)));
        }
        long job = fx.engine.submitBulkWrite(1, payloads, "nightly");
        Reconciler r = ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults().withChunkSize(3), artifacts,
                Clock.systemUTC(), Sleeper.system(), null);

        while (r.tick() == TickOutcome.WORK_DONE) {
            // until idle
        }

        ImportJob j = fx.engine.getImportJob(1, job).orElseThrow();
        assertThat(j.status()).isEqualTo("completed");
        assertThat(j.chunks()).isEqualTo(3);
        assertThat(j.entriesWritten()).isEqualTo(7);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(7);
        assertThat(events.named("chunk_claimed")).filteredOn(e -> "import_jobs".equals(e.get("queue")))
                .singleElement().satisfies(e -> assertThat(e.get("claim_kind")).isEqualTo("pending"));
        assertThat(events.named("chunk_complete")).filteredOn(e -> "import_jobs".equals(e.get("queue")))
                .singleElement().satisfies(e -> assertThat(e.get("entries_written")).isEqualTo(7));
        assertThat(fx.engine.submitBulkWrite(1, payloads, "nightly")).isEqualTo(job);
    }
}
