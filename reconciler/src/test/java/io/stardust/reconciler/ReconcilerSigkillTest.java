package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.lifecycle.PurgeJobs;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential crash test: the same chunked job runs on two databases seeded alike. On the first, a real Reconciler
 * process ({@link ReconcilerDaemon#main} in a child JVM, configured through the environment as {@code bin/stardust
 * reconciler} is) is SIGKILLed at seeded random points of the jobs and restarted, several times, and a Reconciler
 * restarted after the last kill finishes them; on the second, a Reconciler runs them without interruption. Both must
 * end with the same rows, slot values, registry, checkpoints and import manifests. One job of each kind runs: a
 * retype backfill, a rename rewrite, a field purge, a model purge and an import. A kill lands wherever the child is
 * when the test sees the target progress: claiming, writing or committing a chunk. Rerun a failure with {@code -Dstardust.crash.seed=<seed>} (the failure message prints it).
 */
@ExtendWith(MySqlExtension.class)
class ReconcilerSigkillTest {
    private static final long TENANT = 1;
    private static final int ENTRIES = 300;
    private static final int CHUNK = 3;
    private static final int IMPORT_KILLS = 2;
    private static final int LOCKSTEP_KILLS = 3;

    /** One kind of chunked work, each driven by its own Reconciler source. */
    enum Kind {
        BACKFILL, RENAME, FIELD_PURGE, MODEL_PURGE, IMPORT
    }

    private final TestDatabase db;
    private final List<Process> children = new ArrayList<>();
    @TempDir
    Path tmp;
    private EngineFixture killed;
    private EngineFixture uninterrupted;
    private TestDatabase second;

    ReconcilerSigkillTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        killed = EngineFixture.fresh(db, tmp.resolve("a"));
        second = new TestDatabase(db.server(), db.name() + "_b");
        uninterrupted = EngineFixture.fresh(second, tmp.resolve("b"));
    }

    @AfterEach
    void tearDown() {
        children.forEach(Process::destroyForcibly);
        killed.close();
        uninterrupted.close();
        db.server().dropDatabase(second.name());
    }

    @Test
    void aReconcilerKilledAtRandomPointsOfEveryKindOfChunkEndsWithTheRowsAndSlotValuesOfAnUninterruptedRun()
            throws Exception {
        long seed = Long.getLong("stardust.crash.seed", System.nanoTime());
        try {
            Map<Kind, Job> a = startAll(killed, seed);
            startAll(uninterrupted, seed);

            Random random = new Random(seed);
            // The import source runs a claimed job to its end in one tick, window after window, before the later
            // sources get their chunk: its kills come first, at random windows of the job.
            Job imports = a.get(Kind.IMPORT);
            for (int kill = 0; kill < IMPORT_KILLS; kill++) {
                long before = imports.progress();
                long span = (ENTRIES - before) / (IMPORT_KILLS - kill + 1);
                killWhen(imports, before + 1 + random.nextInt((int) Math.max(1, span)), "import" + kill, a);
                assertThat(imports.done()).as("import kill %d came before the job ended", kill).isFalse();
            }
            // The other four then run side by side, one chunk of each per tick: every kill interrupts all four
            // mid-job and lands in whichever of their chunks the child is in.
            List<Kind> chunked = List.of(Kind.BACKFILL, Kind.RENAME, Kind.FIELD_PURGE, Kind.MODEL_PURGE);
            for (int kill = 0; kill < LOCKSTEP_KILLS; kill++) {
                Job job = a.get(chunked.get(random.nextInt(chunked.size())));
                int step = ENTRIES / (LOCKSTEP_KILLS + 2);
                killWhen(job, Math.max(job.progress() + 1, (long) step * (kill + 1) + random.nextInt(step)),
                        "chunks" + kill, a);
                for (Kind kind : chunked) {
                    assertThat(a.get(kind).done()).as("kill %d came before the %s job ended", kill, kind).isFalse();
                }
            }
            drain(killed, tmp.resolve("a"));     // the restart after the last kill finishes every job
            drain(uninterrupted, tmp.resolve("b"));
            assertThat(a.values()).allMatch(Job::done);

            assertThat(DatabaseSnapshot.of(killed, TENANT)).isNotEmpty()
                    .containsExactlyElementsOf(DatabaseSnapshot.of(uninterrupted, TENANT));
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + " (rerun with -Dstardust.crash.seed=" + seed + "): "
                    + t.getMessage(), t);
        }
    }

    /**
     * Starts a Reconciler process, SIGKILLs it as soon as {@code job} has reached {@code target} (no shutdown hook
     * runs; the transaction it has open dies with it), and lets the killed worker's import and checkpoint leases run
     * out, as if their timeouts had passed, so the next worker takes the jobs over at once.
     */
    private void killWhen(Job job, long target, String name, Map<Kind, Job> all) throws Exception {
        Child child = startReconciler(name);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> job.progress() >= target || !child.process().isAlive());
        } catch (ConditionTimeoutException stuck) {
            throw new AssertionError(name + " never reached " + target + "; progress " + progress(all) + "; output:\n"
                    + child.output(), stuck);
        }
        assertThat(child.process().isAlive()).as("%s still working; output:%n%s", name, child.output()).isTrue();
        child.process().destroyForcibly();
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        killed.exec("UPDATE stardust_import_jobs SET heartbeat_at = heartbeat_at - INTERVAL 1 HOUR"
                + " WHERE status = 'processing'", "UPDATE backfill_checkpoints SET lease_until = lease_until - INTERVAL 1 HOUR"
                + " WHERE lease_until IS NOT NULL");
    }

    private static Map<Kind, Long> progress(Map<Kind, Job> jobs) {
        Map<Kind, Long> out = new EnumMap<>(Kind.class);
        jobs.forEach((kind, job) -> out.put(kind, job.progress()));
        return out;
    }

    /** A Reconciler on {@code fx}'s database, ticking until every source is idle. */
    private static void drain(EngineFixture fx, Path artifactDir) throws Exception {
        try (Reconciler r = ReconcilerDaemon.create(fx.ds, config(), artifactDir, Clock.systemUTC(), Sleeper.system(),
                null)) {
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> r.tick() == TickOutcome.IDLE && fx.count("SELECT COUNT(*) FROM stardust_import_jobs"
                            + " WHERE status IN ('pending', 'processing')") == 0);
        }
    }

    /** Small chunks, and an import lease of 1 s so a killed worker's import claim is taken over soon. */
    private static ReconcilerConfig config() {
        ReconcilerConfig d = ReconcilerConfig.defaults();
        return new ReconcilerConfig(CHUNK, d.interChunkDelayMicros(), d.capacityWaitMillis(), d.dlqMaxAttempts(),
                d.lockRetryBudget(), d.lockRetryDelayMicros(), CHUNK, d.modelPurgeLockRetryBudget(), 1);
    }

    /** A job in progress on one database: how many of its entries are done, and whether all are. */
    private interface Job {
        long progress();

        boolean done();
    }

    /**
     * Seeds {@code fx} alike for every database (same seed, same order of ids): one model per kind, each with
     * {@value #ENTRIES} entries (the import's come with its job), then starts every job.
     */
    private Map<Kind, Job> startAll(EngineFixture fx, long seed) {
        Map<Kind, ModelDefinition> models = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            models.put(kind, fx.modelWithSlots(TENANT, kind.name().toLowerCase(Locale.ROOT),
                    new FieldSpec("n", DeclaredType.STRING, true), new FieldSpec("tag", DeclaredType.STRING, true),
                    new FieldSpec("note", DeclaredType.STRING, false)));
        }
        fx.engine.provisionPage(List.of("i_int_01"));
        Random random = new Random(seed);
        Map<Kind, List<EntryPayload>> payloads = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            payloads.put(kind, payloads(models.get(kind), random));
            if (kind != Kind.IMPORT) {
                fx.engine.bulkWrite(payloads.get(kind));
            }
        }
        Map<Kind, Job> jobs = new EnumMap<>(Kind.class);
        ModelDefinition retyped = models.get(Kind.BACKFILL);
        jobs.put(Kind.BACKFILL, cursorJob(fx, retyped, "retype_field_" + retyped.fieldId("n"),
                () -> fx.engine.retypeField(TENANT, retyped.fieldId("n"), DeclaredType.INT)));
        ModelDefinition renamed = models.get(Kind.RENAME);
        jobs.put(Kind.RENAME, cursorJob(fx, renamed, "rename_field_" + renamed.fieldId("note"),
                () -> fx.engine.renameField(TENANT, renamed.fieldId("note"), "remark")));
        ModelDefinition purged = models.get(Kind.FIELD_PURGE);
        jobs.put(Kind.FIELD_PURGE, cursorJob(fx, purged, PurgeJobs.field(purged.fieldId("tag")),
                () -> fx.engine.deleteField(TENANT, purged.fieldId("tag"))));
        int deleted = models.get(Kind.MODEL_PURGE).modelId();
        fx.engine.deleteModel(TENANT, deleted);
        jobs.put(Kind.MODEL_PURGE, new Job() {
            public long progress() {
                return ENTRIES - fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", deleted);
            }

            public boolean done() {
                return fx.count("SELECT COUNT(*) FROM stardust_models WHERE id = ?", deleted) == 0;
            }
        });
        long importJob = fx.engine.submitBulkWrite(TENANT, payloads.get(Kind.IMPORT), "crash");
        jobs.put(Kind.IMPORT, new Job() {
            public long progress() {
                return fx.engine.getImportJob(TENANT, importJob).orElseThrow().entriesWritten();
            }

            public boolean done() {
                return !List.of("pending", "processing")
                        .contains(fx.engine.getImportJob(TENANT, importJob).orElseThrow().status());
            }
        });
        return jobs;
    }

    /** A checkpointed job: progress is the number of the model's entries at or before its committed cursor. */
    private static Job cursorJob(EngineFixture fx, ModelDefinition m, String jobName, Runnable initiate) {
        initiate.run();
        return new Job() {
            public long progress() {
                return done() ? ENTRIES : fx.count("SELECT COUNT(*) FROM entry_data e JOIN backfill_checkpoints b"
                        + " ON b.job_name = ? WHERE e.model_id = ? AND e.id <= b.last_processed_id", jobName, m.modelId());
            }

            public boolean done() {
                return fx.count("SELECT COUNT(*) FROM backfill_checkpoints WHERE job_name = ? AND status = 'running'",
                        jobName) == 0;
            }
        };
    }

    /** Entries with numbers, some text that no INT takes (coercion NULLs), JSON-only notes; the same for one seed. */
    private static List<EntryPayload> payloads(ModelDefinition m, Random random) {
        List<EntryPayload> out = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("n", random.nextInt(5) == 0 ? "x" + random.nextInt(100) : Integer.toString(random.nextInt(100_000)));
            fields.put("tag", "t" + random.nextInt(10));
            if (random.nextBoolean()) {
                fields.put("note", "note " + i);
            }
            out.add(EntryPayload.of(TENANT, m.modelId(), fields));
        }
        return out;
    }

    private record Child(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    private Child startReconciler(String name) throws IOException {
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dstardust.console.level=INFO",
                "-cp", System.getProperty("java.class.path"), ReconcilerDaemon.class.getName());
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(Map.of(
                "STARDUST_DSN", db.jdbcUrl(),
                "STARDUST_USER", db.user(),
                "STARDUST_PASS", db.password(),
                "STARDUST_PID_FILE_DIR", tmp.resolve("run").toString(),
                "STARDUST_ARTIFACT_DIR", tmp.resolve("a").toString(),
                "STARDUST_RECONCILER_CHUNK_SIZE", Integer.toString(CHUNK),
                "STARDUST_MODEL_PURGE_CHUNK_SIZE", Integer.toString(CHUNK),
                // a killed worker's import claim is re-claimed once its lease ran out
                "STARDUST_RECONCILER_IMPORT_LEASE_TIMEOUT_SECONDS", "1"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        children.add(p);
        return new Child(p, log);
    }
}
