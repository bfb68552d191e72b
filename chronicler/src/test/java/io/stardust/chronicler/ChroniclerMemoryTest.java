package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.DeclaredType;
import io.stardust.ExportFormat;
import io.stardust.ExportRequest;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Memory stays bounded by one chunk whatever the export's size: a Chronicler process with a heap smaller than the
 * artifact exports it completely. CI size: {@value #ENTRIES} entries of ~2 KB (an artifact of about 80 MB) at
 * {@value #HEAP}; {@code -Dstardust.memory.entries=N} runs a larger one.
 */
@ExtendWith(MySqlExtension.class)
class ChroniclerMemoryTest {
    private static final int ENTRIES = Integer.getInteger("stardust.memory.entries", 40_000);
    private static final String HEAP = "-Xmx48m";

    private final TestDatabase db;
    private ChroniclerFixture fx;

    ChroniclerMemoryTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void anExportLargerThanTheHeapCompletesInAProcessWithASmallHeap() throws Exception {
        fx = new ChroniclerFixture(db);
        ModelDefinition model = fx.base.model(1, "big", new FieldSpec("body", DeclaredType.STRING, false),
                new FieldSpec("seq", DeclaredType.INT, false));
        fx.exec("SET SESSION cte_max_recursion_depth = 10000000",
                "INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields)"
                        + " WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ENTRIES + ")"
                        + " SELECT 1, " + model.modelId() + ", UTC_TIMESTAMP(), UTC_TIMESTAMP(),"
                        + " JSON_OBJECT('body', REPEAT(CONCAT('x', i % 10), 1000), 'seq', i) FROM n");
        long id = fx.engine.submitExport(ExportRequest.of(1, model.modelId(), ExportFormat.NDJSON));

        Path log = fx.artifactDir.resolve("memory.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                ChroniclerDaemon.class.getName()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(java.util.Map.of("STARDUST_DSN", db.jdbcUrl(), "STARDUST_USER", db.user(),
                "STARDUST_PASS", db.password(), "STARDUST_ARTIFACT_DIR", fx.artifactDir.toString(),
                "STARDUST_PID_FILE_DIR", fx.artifactDir.resolve("run").toString(),
                "STARDUST_CHRONICLER_PAGE_SIZE", "1000", "STARDUST_CHRONICLER_LOW_DISK_THRESHOLD_PCT", "0"));
        Process child = pb.start();
        try {
            await().atMost(Duration.ofMinutes(5)).until(() -> !child.isAlive()
                    || fx.job(1, id).terminal());
            assertThat(child.isAlive()).as("the process did not die (%s)", log).isTrue();
            assertThat(fx.job(1, id).status()).isEqualTo("completed");
            assertThat(fx.job(1, id).rowsExported()).isEqualTo(ENTRIES);
            assertThat(Files.size(Path.of(fx.job(1, id).artifactPath()))).isGreaterThan(48L * 1024 * 1024);
        } finally {
            child.destroy();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(child.exitValue()).isZero();
        assertThat(Files.readAllLines(log)).noneMatch(l -> l.contains("OutOfMemoryError"));
    }
}
