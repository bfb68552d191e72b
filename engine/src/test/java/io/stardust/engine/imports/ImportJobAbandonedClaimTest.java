package io.stardust.engine.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.UtcClock;
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
class ImportJobAbandonedClaimTest {
    private final TestDatabase db;
    @TempDir
    Path artifacts;
    private EngineFixture fx;
    private ModelDefinition m;

    ImportJobAbandonedClaimTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db, artifacts);
        m = fx.model(1, "m", new FieldSpec("n", DeclaredType.INT, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ImportJobProcessor worker(String identity) {
        return new ImportJobProcessor(fx.ds, new UtcClock(Clock.systemUTC()), artifacts, () -> identity);
    }

    private long submit(int n) {
        List<EntryPayload> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(EntryPayload.of(1, m.modelId(), Map.of("n", i)));
        }
        return fx.engine.submitBulkWrite(1, p, null);
    }

    @Test
    void aStaleProcessingJobIsReclaimedAndResumesFromItsManifestWithoutDuplicates() throws Exception {
        long job = submit(5);
        // a worker that died after committing its first window of 2 entries
        fx.engine.bulkWrite(List.of(EntryPayload.of(1, m.modelId(), Map.of("n", 0)), EntryPayload.of(1, m.modelId(), Map.of("n", 1))));
        fx.exec("UPDATE stardust_import_jobs SET status = 'processing', worker_identity = 'dead',"
                + " claimed_at = '2026-01-01 00:00:00', heartbeat_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR,"
                + " manifest = '{\"chunks\": 1, \"entries_written\": 2}' WHERE id = " + job);

        ImportJobProcessor.Outcome out = worker("second").processOne(2, 30, "c");

        assertThat(out).isEqualTo(new ImportJobProcessor.Completed(job, 1, "abandoned", 2, 3, 5));
        assertThat(fx.rows("SELECT status, worker_identity, claimed_at FROM stardust_import_jobs"))
                .containsExactly(List.of("completed", "second", java.time.LocalDateTime.of(2026, 1, 1, 0, 0)));
        assertThat(fx.rows("SELECT JSON_EXTRACT(fields, '$.n') FROM entry_data ORDER BY id")).extracting(r -> r.get(0).toString())
                .containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void aProcessingJobWithAFreshHeartbeatIsNotReclaimed() throws Exception {
        long job = submit(1);
        fx.exec("UPDATE stardust_import_jobs SET status = 'processing', worker_identity = 'alive', claimed_at = UTC_TIMESTAMP(),"
                + " heartbeat_at = UTC_TIMESTAMP() WHERE id = " + job);

        assertThat(worker("second").processOne(10, 30, "c")).isInstanceOf(ImportJobProcessor.Idle.class);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverMidWindowRollsTheWindowBackAndLeavesTheJobProcessing() throws Exception {
        long job = submit(4);
        // another worker takes the job over while this one writes its first window
        fx.exec("CREATE TRIGGER steal AFTER INSERT ON entry_data FOR EACH ROW"
                + " UPDATE stardust_import_jobs SET worker_identity = 'thief' WHERE id = " + job);

        ImportJobProcessor.Outcome out = worker("first").processOne(2, 30, "c");

        assertThat(out).isEqualTo(new ImportJobProcessor.LeaseLost(job, 1, "pending", 0));
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
        assertThat(fx.rows("SELECT status, failed_reason FROM stardust_import_jobs"))
                .containsExactly(java.util.Arrays.asList("processing", null));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq")).isZero();
    }
}
