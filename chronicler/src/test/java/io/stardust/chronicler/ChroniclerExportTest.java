package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DatabaseException;
import io.stardust.DeclaredType;
import io.stardust.EntryPayload;
import io.stardust.ExportFormat;
import io.stardust.ExportJob;
import io.stardust.ExportJobActiveCapExceededException;
import io.stardust.ExportRequest;
import io.stardust.FieldNotFilterableException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.QueryFilterValidationException;
import io.stardust.UnknownFieldException;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Chronicler's behaviour against real MySQL: submission, claiming, processing, formats, failures, GC. */
@ExtendWith(MySqlExtension.class)
class ChroniclerExportTest {
    private final TestDatabase db;
    private ChroniclerFixture fx;
    private EventCapture events;
    private ModelDefinition company;

    ChroniclerExportTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = new ChroniclerFixture(db);
        events = EventCapture.open();
        company = fx.base.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("Notes", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    private List<Long> write(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", "c" + i);
            f.put("employees", i);
            ids.add(fx.engine.write(EntryPayload.of(1, company.modelId(), f)).entryId());
        }
        return ids;
    }

    private long submit(ExportRequest r) {
        return fx.engine.submitExport(r);
    }

    private ExportRequest all(ExportFormat f) {
        return ExportRequest.of(1, company.modelId(), f);
    }

    private void runOnce(Chronicler c) throws Exception {
        c.tick();
    }

    @Test
    void aMultiChunkCsvExportCompletesWithOneChunkWrittenPerPageAndTheLiveFieldsAsHeader() throws Exception {
        write(12);
        long id = submit(all(ExportFormat.CSV));
        runOnce(fx.chronicler(ChroniclerFixture.config().withPageSize(5)).build());

        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("completed");
        assertThat(job.rowsExported()).isEqualTo(12);
        assertThat(events.named("chunk_written")).hasSize(3);
        assertThat(events.named("job_claimed").get(0).fields()).containsEntry("claim_kind", "pending")
                .containsEntry("job_id", id);
        assertThat(events.named("job_complete").get(0).fields()).containsEntry("rows_streamed_total", 12L);
        String csv = fx.artifact(1, id);
        assertThat(csv).startsWith("employees,name,Notes\r\n0,c0,\r\n1,c1,\r\n").endsWith("11,c11,\r\n");
        assertThat(fx.engine.exportArtifact(1, id)).get().satisfies(a -> {
            assertThat(a.size()).isEqualTo(csv.length());
            assertThat(a.contentType()).isEqualTo("text/csv");
        });
    }

    @Test
    void jsonAndNdjsonExportsHoldEveryEntryAsAnObjectAndAnEmptyJsonExportIsAnEmptyArray() throws Exception {
        long empty = submit(all(ExportFormat.JSON));
        fx.chronicler().tick();
        assertThat(fx.artifact(1, empty)).isEqualTo("[]");

        write(2);
        long json = submit(all(ExportFormat.JSON));
        long ndjson = submit(all(ExportFormat.NDJSON).withSelect(List.of("name")));
        Chronicler c = fx.chronicler();
        c.tick();
        c.tick();
        assertThat(fx.artifact(1, json)).isEqualTo("[{\"employees\":0,\"name\":\"c0\",\"Notes\":null},"
                + "{\"employees\":1,\"name\":\"c1\",\"Notes\":null}]");
        assertThat(fx.artifact(1, ndjson)).isEqualTo("{\"name\":\"c0\"}\n{\"name\":\"c1\"}\n");
    }

    @Test
    void csvCellsAreQuotedPerRfc4180AndARowWithANulIsSkippedAndCounted() throws Exception {
        fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "a,b", "Notes", "say \"hi\"\nbye")));
        fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "nul\u0000here")));
        fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "plain", "Notes", List.of(1, "x"))));
        long id = submit(all(ExportFormat.CSV));
        fx.chronicler().tick();

        assertThat(fx.artifact(1, id)).isEqualTo("employees,name,Notes\r\n,\"a,b\",\"say \"\"hi\"\"\nbye\"\r\n"
                + ",plain,\"[1,\"\"x\"\"]\"\r\n");
        assertThat(fx.job(1, id).skipCount()).isEqualTo(1);
        assertThat(events.named("row_skipped").get(0).fields()).containsEntry("reason", "format_invalid");
    }

    @Test
    void theFilterIsAppliedSoTheExportHoldsOnlyMatchingEntriesOfTheTenantAndNoDeletedOnes() throws Exception {
        List<Long> ids = write(10);
        fx.engine.deleteEntry(1, ids.get(7));
        ModelDefinition other = fx.base.modelWithSlots(2, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true));
        fx.engine.write(EntryPayload.of(2, other.modelId(), Map.of("name", "foreign", "employees", 9)));
        long id = submit(all(ExportFormat.NDJSON).withSelect(List.of("employees")).withFilter(
                "{\"version\":\"1\",\"filter\":{\"op\":\"gte\",\"field\":{\"model\":\"company\",\"name\":\"employees\"},"
                        + "\"value\":5}}"));
        fx.chronicler().tick();

        assertThat(fx.artifact(1, id)).isEqualTo("{\"employees\":5}\n{\"employees\":6}\n{\"employees\":8}\n"
                + "{\"employees\":9}\n");
    }

    @Test
    void aGzipExportDecompressesToTheSameBytesAsAnUncompressedOne() throws Exception {
        write(7);
        long plain = submit(all(ExportFormat.CSV));
        long zipped = submit(all(ExportFormat.CSV).withGzip(true));
        Chronicler c = fx.chronicler(ChroniclerFixture.config().withPageSize(3)).build();
        c.tick();
        c.tick();
        assertThat(fx.job(1, zipped).artifactPath()).endsWith(".csv.gz");
        assertThat(fx.artifact(1, zipped)).isEqualTo(fx.artifact(1, plain));
    }

    @Test
    void submissionRejectsBadFiltersAndSelectsWithTheSearchErrorsAndWritesNoJob() {
        assertThatThrownBy(() -> submit(all(ExportFormat.CSV).withFilter("{\"version\":\"1\",\"filter\":")))
                .isInstanceOf(QueryFilterValidationException.class);
        assertThatThrownBy(() -> submit(all(ExportFormat.CSV).withFilter("{\"version\":\"1\",\"filter\":{\"op\":\"eq\","
                + "\"field\":{\"model\":\"company\",\"name\":\"nope\"},\"value\":1}}")))
                .isInstanceOf(UnknownFieldException.class);
        assertThatThrownBy(() -> submit(all(ExportFormat.CSV).withFilter("{\"version\":\"1\",\"filter\":{\"op\":\"eq\","
                + "\"field\":{\"model\":\"company\",\"name\":\"Notes\"},\"value\":\"x\"}}")))
                .isInstanceOf(FieldNotFilterableException.class);
        assertThatThrownBy(() -> submit(all(ExportFormat.CSV).withSelect(List.of("name", "ghost"))))
                .isInstanceOf(UnknownFieldException.class).hasMessageContaining("ghost");
        assertThat(fx.base.count("SELECT COUNT(*) FROM stardust_export_jobs")).isZero();
    }

    @Test
    void aFourthActiveExportOfATenantIsRefusedWhileOtherTenantsAreUnaffected() {
        for (int i = 0; i < 3; i++) {
            submit(all(ExportFormat.CSV));
        }
        assertThatThrownBy(() -> submit(all(ExportFormat.CSV)))
                .isInstanceOfSatisfying(ExportJobActiveCapExceededException.class, e -> {
                    assertThat(e.activeCount()).isEqualTo(3);
                    assertThat(e.cap()).isEqualTo(3);
                });
        ModelDefinition other = fx.base.model(2, "company", new FieldSpec("name", DeclaredType.STRING, false));
        assertThat(fx.engine.submitExport(ExportRequest.of(2, other.modelId(), ExportFormat.CSV))).isPositive();
    }

    @Test
    void theTenantWithTheOldestPendingHeadIsServedFirstSoABurstCannotStarveAnotherTenant() throws Exception {
        ModelDefinition other = fx.base.model(2, "m", new FieldSpec("name", DeclaredType.STRING, false));
        long a1 = submit(all(ExportFormat.CSV));
        long a2 = submit(all(ExportFormat.CSV));
        long b1 = fx.engine.submitExport(ExportRequest.of(2, other.modelId(), ExportFormat.CSV));
        fx.exec("UPDATE stardust_export_jobs SET created_at = '2026-01-01 00:00:00' WHERE id = " + a1,
                "UPDATE stardust_export_jobs SET created_at = '2026-01-01 00:00:02' WHERE id = " + a2,
                "UPDATE stardust_export_jobs SET created_at = '2026-01-01 00:00:01' WHERE id = " + b1);
        Chronicler c = fx.chronicler();
        List<Object> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.tick();
        }
        events.named("job_claimed").forEach(e -> order.add(((Number) e.get("job_id")).longValue()));
        assertThat(order).containsExactly(a1, b1, a2);
    }

    @Test
    void aJobWhoseIdentityIsOverwrittenMidJobLogsLeaseLostAndIsNotMarkedFailed() throws Exception {
        write(6);
        long id = submit(all(ExportFormat.CSV));
        AtomicInteger pages = new AtomicInteger();
        PageSource real = PageSource.search(fx.engine);
        PageSource stealing = (t, m, f, s, cursor, size, corr) -> {
            if (pages.incrementAndGet() == 2) {
                fx.exec("UPDATE stardust_export_jobs SET worker_identity = 'thief' WHERE id = " + id);
            }
            return real.page(t, m, f, s, cursor, size, corr);
        };
        fx.chronicler(ChroniclerFixture.config().withPageSize(2)).pages(stealing).build().tick();

        assertThat(events.named("lease_lost")).hasSize(1);
        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("processing");
        assertThat(job.workerIdentity()).isEqualTo("thief");
        assertThat(Files.exists(Path.of(job.artifactPath()))).as("the file is the new owner's").isTrue();
    }

    @Test
    void aStaleProcessingJobIsTakenOverAndResumedFromItsCursorWhileAFreshHeartbeatIsLeftAlone() throws Exception {
        write(10);
        long id = submit(all(ExportFormat.NDJSON).withSelect(List.of("employees")));
        AtomicInteger pages = new AtomicInteger();
        PageSource real = PageSource.search(fx.engine);
        PageSource dying = (t, m, f, s, cursor, size, corr) -> {
            if (pages.incrementAndGet() == 3) {
                throw new IllegalStateException("worker dies");
            }
            return real.page(t, m, f, s, cursor, size, corr);
        };
        assertThatThrownBy(() -> fx.chronicler(ChroniclerFixture.config().withPageSize(3)).pages(dying).build().tick())
                .hasMessage("worker dies");
        var claimedAt = fx.job(1, id).claimedAt();
        fx.chronicler().tick();
        assertThat(events.named("job_claimed")).hasSize(1).as("a fresh heartbeat is not taken over");

        fx.exec("UPDATE stardust_export_jobs SET heartbeat_at = UTC_TIMESTAMP() - INTERVAL 60 SECOND WHERE id = " + id);
        fx.chronicler(ChroniclerFixture.config().withPageSize(3)).build().tick();
        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("completed");
        assertThat(job.claimedAt()).isEqualTo(claimedAt);
        assertThat(events.named("job_claimed").get(1).fields()).containsEntry("claim_kind", "abandoned");
        assertThat(events.named("chunk_written")).hasSize(2 + 2).as("two chunks before, the remaining two after");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            expected.append("{\"employees\":").append(i).append("}\n");
        }
        assertThat(fx.artifact(1, id)).isEqualTo(expected.toString());
    }

    @Test
    void skippedRowsChargeSkipCountAndExceedingTheCapFailsWithExcessiveSkipsInheritedAcrossReclaims() throws Exception {
        for (int i = 0; i < 3; i++) {
            fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "bad\u0000" + i)));
        }
        long id = submit(all(ExportFormat.CSV));
        fx.exec("UPDATE stardust_export_jobs SET skip_count = 1 WHERE id = " + id);
        fx.chronicler(ChroniclerFixture.config().withSkipCountCap(3)).build().tick();

        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("failed");
        assertThat(job.failedReason()).isEqualTo("excessive_skips");
        assertThat(job.skipCount()).isEqualTo(4);
        assertThat(events.named("job_failed").get(0).fields()).containsEntry("reason", "excessive_skips");
        assertThat(Files.exists(Path.of(job.artifactPath()))).as("the partial is deleted").isFalse();
    }

    @Test
    void aDeadlockedReadIsRetriedAndAfterTheBudgetItsRangeIsSkipped() throws Exception {
        write(8);
        long id = submit(all(ExportFormat.CSV));
        AtomicInteger calls = new AtomicInteger();
        PageSource real = PageSource.search(fx.engine);
        PageSource deadlocking = (t, m, f, s, cursor, size, corr) -> {
            int n = calls.incrementAndGet();
            if (n == 1 || (cursor == 0 && n >= 2 && n <= 4)) {
                throw new DatabaseException("injected", new SQLTransactionRollbackException("deadlock", "40001", 1213));
            }
            return real.page(t, m, f, s, cursor, size, corr);
        };
        fx.chronicler(ChroniclerFixture.config().withPageSize(5)).pages(deadlocking).build().tick();

        assertThat(events.named("deadlock_retry")).hasSize(3);
        assertThat(events.named("chunk_skipped").get(0).fields()).containsEntry("start_cursor", 0L)
                .containsEntry("end_cursor", 5L).containsEntry("cause", "deadlock_budget_exhausted");
        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("completed");
        assertThat(job.skipCount()).isEqualTo(5);
    }

    @Test
    void aLostConnectionIsRetriedOnTheBackoffScheduleAndWhenItIsUsedUpTheJobFailsWithQueryFailure() throws Exception {
        write(4);
        long recovered = submit(all(ExportFormat.CSV));
        AtomicInteger calls = new AtomicInteger();
        PageSource real = PageSource.search(fx.engine);
        PageSource flaky = (t, m, f, s, cursor, size, corr) -> {
            if (calls.incrementAndGet() == 1) {
                throw new DatabaseException("injected", new SQLNonTransientConnectionException("gone", "08S01", 2013));
            }
            return real.page(t, m, f, s, cursor, size, corr);
        };
        fx.chronicler(ChroniclerFixture.config()).pages(flaky).build().tick();
        assertThat(fx.job(1, recovered).status()).isEqualTo("completed");

        long failed = submit(all(ExportFormat.CSV));
        PageSource down = (t, m, f, s, cursor, size, corr) -> {
            throw new DatabaseException("injected", new SQLNonTransientConnectionException("gone", "08S01", 2013));
        };
        fx.chronicler(ChroniclerFixture.config()).pages(down).build().tick();
        ExportJob job = fx.job(1, failed);
        assertThat(job.failedReason()).isEqualTo("query_failure");
        assertThat(events.named("job_failed").get(0).fields()).containsEntry("reason", "db_disconnect_exhausted");
    }

    @Test
    void exceedingTheArtifactSizeCapFailsTheJobWithArtifactOversizedAndDeletesThePartial() throws Exception {
        write(20);
        long id = submit(all(ExportFormat.CSV));
        fx.chronicler(ChroniclerFixture.config().withArtifactSizeCapBytes(60).withPageSize(5)).build().tick();
        ExportJob job = fx.job(1, id);
        assertThat(job.failedReason()).isEqualTo("artifact_size_exceeded");
        assertThat(events.named("artifact_oversized")).hasSize(1);
        assertThat(events.named("job_failed")).isEmpty();
        assertThat(Files.exists(Path.of(job.artifactPath()))).isFalse();
    }

    @Test
    void eachChunkCommitRefreshesTheHeartbeat() throws Exception {
        write(5);
        long id = submit(all(ExportFormat.CSV));
        List<Object> beats = new ArrayList<>();
        PageSource real = PageSource.search(fx.engine);
        PageSource watching = (t, m, f, s, cursor, size, corr) -> {
            beats.add(fx.base.rows("SELECT heartbeat_at FROM stardust_export_jobs WHERE id = ?", id).get(0).get(0));
            fx.exec("UPDATE stardust_export_jobs SET heartbeat_at = '2000-01-01 00:00:00' WHERE id = " + id);
            return real.page(t, m, f, s, cursor, size, corr);
        };
        fx.chronicler(ChroniclerFixture.config().withPageSize(2).withLeaseTimeoutSeconds(1_000_000_000))
                .pages(watching).build().tick();
        assertThat(fx.job(1, id).status()).isEqualTo("completed");
        assertThat(beats).hasSize(3);
        assertThat(beats.subList(1, 3)).allSatisfy(b -> assertThat(b.toString()).doesNotStartWith("2000-01-01"));
    }

    @Test
    void expiredArtifactsAreCollectedAndTheirPathsClearedWhileFreshOnesStay() throws Exception {
        write(2);
        long old = submit(all(ExportFormat.CSV));
        long failed = submit(all(ExportFormat.CSV));
        long fresh = submit(all(ExportFormat.CSV));
        Chronicler c = fx.chronicler();
        c.tick();
        c.tick();
        c.tick();
        Path failedPartial = Path.of(fx.job(1, failed).artifactPath());
        Files.writeString(failedPartial, "partial");
        fx.exec("UPDATE stardust_export_jobs SET completed_at = UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE id = " + old,
                "UPDATE stardust_export_jobs SET status = 'failed', completed_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR"
                        + " WHERE id = " + failed);
        Path oldPath = Path.of(fx.job(1, old).artifactPath());
        events.clear();
        assertThat(c.collectGarbage()).isEqualTo(2);

        assertThat(Files.exists(oldPath)).isFalse();
        assertThat(Files.exists(failedPartial)).isFalse();
        assertThat(fx.job(1, old).artifactPath()).isNull();
        assertThat(fx.job(1, fresh).artifactPath()).isNotNull();
        assertThat(events.named("gc_swept").get(0).fields()).containsEntry("artifacts_deleted", 2);
        events.clear();
        assertThat(c.collectGarbage()).isZero();
        assertThat(events.named("gc_swept")).isEmpty();
    }

    @Test
    void aThresholdAboveTheFreeFractionLogsLowDiskAndLeavesTheJobPendingWhileZeroGatesNothing() throws Exception {
        long id = submit(all(ExportFormat.CSV));
        fx.chronicler(ChroniclerFixture.config().withLowDiskThresholdPct(1.01)).build().tick();
        assertThat(fx.job(1, id).status()).isEqualTo("pending");
        assertThat(events.named("low_disk").get(0).fields()).containsEntry("tenant_id", null)
                .containsEntry("threshold_pct", 1.01);

        events.clear();
        fx.chronicler().tick();
        assertThat(events.named("low_disk")).isEmpty();
        assertThat(fx.job(1, id).status()).isEqualTo("completed");
    }

    @Test
    void twoWorkersNeverClaimTheSameJob() throws Exception {
        write(3);
        List<Long> ids = List.of(submit(all(ExportFormat.CSV)), submit(all(ExportFormat.JSON)));
        Chronicler a = fx.chronicler();
        Chronicler b = fx.chronicler();
        Thread t = new Thread(() -> {
            try {
                a.tick();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        b.tick();
        t.join();
        a.tick();
        b.tick();
        assertThat(ids).allSatisfy(id -> assertThat(fx.job(1, id).status()).isEqualTo("completed"));
        assertThat(events.named("job_claimed")).hasSize(2);
    }

    @Test
    void aWriteThatFindsTheDiskFullFailsTheJobWithDiskFullFromTheHeaderOn() throws Exception {
        write(3);
        long id = submit(all(ExportFormat.CSV));
        Path full = fx.artifactDir.resolve("full.csv");
        Files.createSymbolicLink(full, Path.of("/dev/full"));
        fx.exec("UPDATE stardust_export_jobs SET status = 'processing', worker_identity = 'dead',"
                + " heartbeat_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR, claimed_at = UTC_TIMESTAMP(), artifact_bytes = 0,"
                + " artifact_path = '" + full + "' WHERE id = " + id);
        fx.chronicler().tick();

        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("failed");
        assertThat(job.failedReason()).isEqualTo("disk_full");
        assertThat(events.named("job_failed").get(0).fields()).containsEntry("reason", "disk_full");
        assertThat(Path.of("/dev/full")).exists();
    }
}
