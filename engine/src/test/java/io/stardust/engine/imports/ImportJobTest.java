package io.stardust.engine.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ImportJob;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.UtcClock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MySqlExtension.class)
class ImportJobTest {
    private final TestDatabase db;
    @TempDir
    Path artifacts;
    private EngineFixture fx;
    private ImportJobProcessor processor;
    private ModelDefinition m;
    private final AtomicInteger identities = new AtomicInteger();

    ImportJobTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db, artifacts);
        processor = new ImportJobProcessor(fx.ds, new UtcClock(Clock.systemUTC()), artifacts,
                () -> "worker-" + identities.incrementAndGet());
        m = fx.modelWithSlots(1, "m", new FieldSpec("name", DeclaredType.STRING, true));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private List<EntryPayload> payloads(int n) {
        List<EntryPayload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(EntryPayload.of(1, m.modelId(), Map.of("name", "n" + i)));
        }
        return out;
    }

    @Test
    void aSubmittedJobIsWrittenInWindowsAndCompletesWithItsManifest() throws Exception {
        long job = fx.engine.submitBulkWrite(1, payloads(5), "key-1");
        assertThat(fx.engine.submitBulkWrite(1, payloads(5), "key-1")).as("same key, same job").isEqualTo(job);
        assertThat(fx.engine.getImportJob(1, job).orElseThrow().status()).isEqualTo("pending");

        ImportJobProcessor.Outcome out = processor.processOne(2, 30, "c-1");

        assertThat(out).isEqualTo(new ImportJobProcessor.Completed(job, 1, "pending", 0, 3, 5));
        ImportJob j = fx.engine.getImportJob(1, job).orElseThrow();
        assertThat(j.status()).isEqualTo("completed");
        assertThat(j.entriesWritten()).isEqualTo(5);
        assertThat(j.chunkManifest()).extracting(ImportJob.Chunk::size).containsExactly(2, 2, 1);
        assertThat(j.chunkManifest()).extracting(ImportJob.Chunk::outcome).containsOnly("committed");
        assertThat(j.chunkManifest().get(0).entryIdFirst()).isNotNull();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(5);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 LIKE 'n%'")).isEqualTo(5);
        assertThat(fx.engine.getImportJob(2, job)).as("foreign").isEmpty();
        assertThat(processor.processOne(2, 30, "c-2")).isInstanceOf(ImportJobProcessor.Idle.class);
    }

    @Test
    void aMalformedArtifactFailsTheJobWithMalformedJsonAndADlqRow() throws Exception {
        long job = fx.engine.submitBulkWrite(1, payloads(1), null);
        Path artifact = Path.of((String) fx.rows("SELECT artifact_path FROM stardust_import_jobs").get(0).get(0));
        Files.writeString(artifact, "{\"tenant_id\": 1, \"entries\": ");

        ImportJobProcessor.Outcome out = processor.processOne(10, 30, "c-1");

        assertThat(out).isInstanceOf(ImportJobProcessor.Failed.class);
        assertThat(fx.engine.getImportJob(1, job).orElseThrow().failedReason()).isEqualTo("malformed_json");
        assertThat(fx.rows("SELECT source, entry_id, tenant_id, model_id, reason, chunk_correlation_id FROM stardust_reconciler_dlq"))
                .containsExactly(java.util.Arrays.asList("bulk_import", null, 1L, 0, "malformed_json", "c-1"));
    }

    @Test
    void anEntryThatCannotBeWrittenFailsTheJobAtItsWindowAndEarlierWindowsStay() throws Exception {
        List<EntryPayload> p = new ArrayList<>(payloads(3));
        p.add(EntryPayload.of(1, m.modelId(), Map.of("name", List.of("not", "a", "string"))));
        long job = fx.engine.submitBulkWrite(1, p, null);

        processor.processOne(2, 30, "c-1");

        ImportJob j = fx.engine.getImportJob(1, job).orElseThrow();
        assertThat(j.status()).isEqualTo("failed");
        assertThat(j.failedReason()).isEqualTo("entry_write_failed");
        assertThat(j.entriesWritten()).isEqualTo(2);
        assertThat(j.chunkManifest()).extracting(ImportJob.Chunk::outcome).containsExactly("committed", "failed");
        assertThat(j.chunkManifest().get(1).failureReason()).contains("name");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(2);
    }

    @Test
    void anEntryWithoutFieldsIsWrittenWithAnEmptyPayload() throws Exception {
        long job = fx.engine.submitBulkWrite(1, payloads(1), null);
        Path artifact = Path.of((String) fx.rows("SELECT artifact_path FROM stardust_import_jobs").get(0).get(0));
        Files.writeString(artifact, "{\"tenant_id\": 1, \"entries\": [{\"tenant_id\": 1, \"model_id\": " + m.modelId() + "}]}");

        processor.processOne(10, 30, "c-1");

        assertThat(fx.engine.getImportJob(1, job).orElseThrow().status()).isEqualTo("completed");
        assertThat(fx.rows("SELECT CAST(fields AS CHAR) FROM entry_data")).containsExactly(List.of("{}"));
    }
}
