package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MySqlExtension.class)
class AsyncSubmissionTest {
    private final TestDatabase db;
    @TempDir
    Path artifacts;
    private EngineFixture fx;

    AsyncSubmissionTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db, artifacts.resolve("nested"));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void writesACompleteArtifactAndAPendingJobAndHonoursIdempotencyKeys() throws Exception {
        List<EntryPayload> entries = List.of(EntryPayload.of(3, 9, Map.of("a", 1)), EntryPayload.of(3, 9, Map.of("b", "x")));
        try (EventCapture events = EventCapture.open()) {
            long job = fx.engine.submitBulkWrite(3, entries, "k1");
            assertThat(fx.engine.submitBulkWrite(3, entries, "k1")).isEqualTo(job);
            assertThat(fx.engine.submitBulkWrite(3, entries, "k2")).isNotEqualTo(job);
            assertThat(fx.engine.submitBulkWrite(3, entries, null)).isNotEqualTo(fx.engine.submitBulkWrite(3, entries, null));
            assertThat(events.named("bulk_accepted")).hasSize(5);
            List<Object> row = fx.rows("SELECT status, entry_count, artifact_path FROM stardust_import_jobs WHERE id = ?", job).get(0);
            assertThat(row.get(0)).isEqualTo("pending");
            assertThat(((Number) row.get(1)).intValue()).isEqualTo(2);
            JsonNode doc = Json.parse(Files.readString(Path.of((String) row.get(2))));
            assertThat(doc.get("tenant_id").asLong()).isEqualTo(3);
            assertThat(doc.get("entries").toString())
                    .isEqualTo("[{\"tenant_id\":3,\"model_id\":9,\"fields\":{\"a\":1}},{\"tenant_id\":3,\"model_id\":9,\"fields\":{\"b\":\"x\"}}]");
        }
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_import_jobs")).isEqualTo(4);
        try (var files = Files.list(artifacts.resolve("nested"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial"))).isEmpty();
        }
    }

    @Test
    void rejectsBadSubmissionsBeforeWritingAnything() {
        assertThatThrownBy(() -> fx.engine.submitBulkWrite(0, List.of(EntryPayload.of(0, 1, Map.of())), null))
                .isInstanceOf(InvalidTenantIdException.class);
        assertThat(Files.exists(artifacts.resolve("nested"))).isFalse();
        assertThatThrownBy(() -> fx.engine.submitBulkWrite(1, List.of(EntryPayload.of(1, 1, Map.of()), EntryPayload.of(2, 1, Map.of())), null))
                .isInstanceOf(StarDustException.class).hasMessageContaining("entry [1]");
        assertThatThrownBy(() -> fx.engine.submitBulkWrite(1, List.of(), null)).isInstanceOf(StarDustException.class);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_import_jobs")).isZero();
    }
}
