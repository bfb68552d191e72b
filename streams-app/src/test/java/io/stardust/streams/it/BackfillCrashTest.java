package io.stardust.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.lifecycle.BackfillSettings;
import io.stardust.engine.lifecycle.RetypeJobs;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.reconciler.Reconciler;
import io.stardust.reconciler.ReconcilerConfig;
import io.stardust.reconciler.ReconcilerDaemon;
import io.stardust.registry.mirror.RegistryMirror;
import io.stardust.streams.StreamsApp;
import io.stardust.streams.StreamsAppConfig;
import io.stardust.streams.backfill.BackfillConfig;
import io.stardust.streams.wire.ImportHeaders;
import io.stardust.streams.wire.TopicSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant-partitioned backfills on real servers: 20 tenants each have a model {@code a} and a twin model {@code b}
 * with the same entries (a string {@code code}, every tenth one not a number). The retype of every {@code a.code}
 * to int is backfilled by two streams-app instances (child JVMs) on a 6-partition repartition topic, in one test
 * undisturbed, in the other with one instance SIGKILLed mid-backfill; then the same retype of every {@code b.code}
 * is driven by the Reconciler, and both results must be equal entry by entry.
 *
 * <p>The 200,000 entries in all per model set (about 3.5 minutes per test here);
 * {@code -Dstardust.backfill.entries=N} for fewer.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class BackfillCrashTest {
    private static final int TENANTS = 20;
    private static final int ENTRIES = Integer.getInteger("stardust.backfill.entries", 200_000);
    private static final int IMPORT_LINES = 100_000;
    private static final Pattern CHECKPOINT = Pattern.compile("\"checkpoint_id\":(\\d+)");

    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    Path dir;
    private EngineFixture fx;
    private RegistryMirror mirror;
    private final Map<Long, ModelDefinition> modelA = new HashMap<>();
    private final Map<Long, ModelDefinition> modelB = new HashMap<>();

    BackfillCrashTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        List<String> ints = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            ints.add(String.format("i_int_%02d", i));
        }
        for (int p = 0; p < 3; p++) {
            fx.engine.provisionPage(ints); // 45 indexed int slots for the 40 retyped fields
        }
        int perModel = ENTRIES / TENANTS;
        for (long t = 1; t <= TENANTS; t++) {
            modelA.put(t, fx.engine.defineModel(t, "a", List.of(new FieldSpec("code", DeclaredType.STRING, true))));
            modelB.put(t, fx.engine.defineModel(t, "b", List.of(new FieldSpec("code", DeclaredType.STRING, true))));
            // a few tenants get more entries than others, so partitions carry uneven work
            int n = perModel + (int) (t % 3 - 1) * (perModel / 4);
            for (ModelDefinition m : List.of(modelA.get(t), modelB.get(t))) {
                insertEntries(t, m.modelId(), n);
            }
        }
        mirror = RegistryMirror.start(ChildSettings.mirror(db, kafka, run), Clock.systemUTC());
        // the streams app refuses to start without the registry topic
        Properties admin = new Properties();
        admin.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> a.listTopics().names().get().contains("registry-" + run));
        }
    }

    @AfterEach
    void tearDown() {
        if (mirror != null) {
            mirror.close();
        }
        fx.close();
    }

    @Test
    void twoInstancesBackfillTheTenantsInParallelAndTheResultEqualsAReconcilerDrivenRun() throws Exception {
        Path logA = Path.of("target", "backfill-parallel-a-" + run + ".log");
        Path logB = Path.of("target", "backfill-parallel-b-" + run + ".log");
        retypeAll(modelA);
        KillableProcess a = KillableProcess.start(StreamsApp.class, streamsEnv("a"), logA);
        KillableProcess b = KillableProcess.start(StreamsApp.class, streamsEnv("b"), logB);
        try {
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() -> completedA() == TENANTS);
        } finally {
            a.close();
            b.close();
        }
        String context = "logs " + logA + " " + logB;
        assertThat(checkpointsOf(logA, "\"backfill_completed\"")).as("a completed tenants' backfills (%s)", context)
                .isNotEmpty();
        assertThat(checkpointsOf(logB, "\"backfill_completed\"")).as("b completed tenants' backfills (%s)", context)
                .isNotEmpty();
        assertCompletedOnceWithExactCounts(logA, logB, context);
        assertEqualToAReconcilerDrivenRun();
    }

    @Test
    void oneOfTwoInstancesSigkilledMidImportAndMidBackfillLeavesTheOtherToFinishBothExactlyOnce() throws Exception {
        Map<String, Path> logs = Map.of("a", Path.of("target", "backfill-kill-a-" + run + ".log"),
                "b", Path.of("target", "backfill-kill-b-" + run + ".log"));
        retypeAll(modelA);
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Path file = writeImportFile(dir.resolve("lines.ndjson"));
        Map<String, KillableProcess> instances = new HashMap<>();
        instances.put("a", KillableProcess.start(StreamsApp.class, streamsEnv("a"), logs.get("a")));
        instances.put("b", KillableProcess.start(StreamsApp.class, streamsEnv("b"), logs.get("b")));
        String holder;
        long completedAtKill;
        try {
            // once both instances drive tenants, the file is dropped; the instance that claims it is killed as soon
            // as it reads it
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                    occurrences(logs.get("a"), "\"backfill_chunk\"") >= 1 && occurrences(logs.get("b"), "\"backfill_chunk\"") >= 1);
            Files.move(file, drop.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            String[] reading = new String[1];
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
                reading[0] = readerOf(drop);
                return reading[0] != null && occurrences(logs.get(reading[0]), "\"import_claimed\"") >= 1;
            });
            holder = reading[0];
            completedAtKill = completedA();
            instances.get(holder).kill();
            assertThat(readerOf(drop)).as("%s was killed mid-import", holder).isEqualTo(holder);
            assertThat(completedAtKill).as("%s was killed mid-backfill", holder).isLessThan(TENANTS);
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500))
                    .until(() -> completedA() == TENANTS && Files.exists(drop.resolve("done").resolve(file.getFileName())));
        } finally {
            instances.values().forEach(KillableProcess::close);
        }
        String context = "logs " + logs + ", " + holder + " killed, completed backfills then: " + completedAtKill;
        assertThat(occurrences(logs.get("a"), "\"backfill_chunk\"")).as("a did chunks (%s)", context).isPositive();
        assertThat(occurrences(logs.get("b"), "\"backfill_chunk\"")).as("b did chunks (%s)", context).isPositive();
        assertCompletedOnceWithExactCounts(logs.get("a"), logs.get("b"), context);
        assertEqualToAReconcilerDrivenRun();
        assertEveryLineRoutedOnce(context);
    }

    /** An NDJSON file of {@link #IMPORT_LINES} lines for model {@code a} of the tenants, line n carrying n. */
    private static Path writeImportFile(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int n = 1; n <= IMPORT_LINES; n++) {
            sb.append("{\"tenantId\":").append(1 + n % TENANTS).append(",\"model\":\"a\",\"fields\":{\"line\":")
                    .append(n).append("}}\n");
        }
        return Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** The reader id whose processing directory holds a file, or null. */
    private static String readerOf(Path drop) throws IOException {
        Path processing = drop.resolve("processing");
        if (!Files.isDirectory(processing)) {
            return null;
        }
        try (var files = Files.walk(processing)) {
            return files.filter(f -> f.getFileName().toString().equals("lines.ndjson"))
                    .map(f -> processing.relativize(f).getName(0).toString()).findFirst().orElse(null);
        }
    }

    /** Every line of the file is on the entries topic exactly once (committed records, by line header). */
    private void assertEveryLineRoutedOnce(String context) {
        Set<String> lines = new HashSet<>();
        int records = 0;
        for (ConsumerRecord<String, String> r : TopicSnapshot.read(kafka.bootstrapServers(), "entries-" + run,
                Duration.ofSeconds(30))) {
            records++;
            lines.add(new String(r.headers().lastHeader(ImportHeaders.LINE).value(), StandardCharsets.UTF_8));
        }
        assertThat(records).as("no line twice (%s)", context).isEqualTo(IMPORT_LINES);
        assertThat(lines).as("every line once (%s)", context).hasSize(IMPORT_LINES);
    }

    private void retypeAll(Map<Long, ModelDefinition> models) {
        for (long t = 1; t <= TENANTS; t++) {
            fx.engine.retypeField(t, models.get(t).fieldId("code"), DeclaredType.INT);
        }
    }

    /** One final chunk per checkpoint across both logs; every checkpoint completed with one row per entry. */
    private void assertCompletedOnceWithExactCounts(Path logA, Path logB, String context) throws IOException {
        List<Long> finals = new ArrayList<>(checkpointsOf(logA, "\"backfill_completed\""));
        finals.addAll(checkpointsOf(logB, "\"backfill_completed\""));
        assertThat(finals).as("one final chunk per checkpoint (%s)", context).hasSize(TENANTS).doesNotHaveDuplicates();
        for (long t = 1; t <= TENANTS; t++) {
            long entries = fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", modelA.get(t).modelId());
            assertThat(fx.rows("SELECT status, rows_processed, claimed_by FROM backfill_checkpoints WHERE job_name = ?",
                    RetypeJobs.jobName(modelA.get(t).fieldId("code"))).get(0))
                    .as("tenant %d (%s)", t, context).containsExactly("completed", entries, null);
        }
    }

    /** The same retype of the twin models driven by the Reconciler: the same slot values and coercion nulls. */
    private void assertEqualToAReconcilerDrivenRun() throws Exception {
        retypeAll(modelB);
        Reconciler reconciler = ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults(), BackfillSettings.DEFAULTS,
                dir, Clock.systemUTC(), Sleeper.system(), null);
        while (reconciler.tick() != TickOutcome.IDLE) {
            // one chunk per tick until every checkpoint is completed
        }
        for (long t = 1; t <= TENANTS; t++) {
            assertThat(slotValuesByN(modelA.get(t))).as("tenant %d", t).isEqualTo(slotValuesByN(modelB.get(t)));
            assertThat(checkpointCounts(modelA.get(t))).as("tenant %d", t).isEqualTo(checkpointCounts(modelB.get(t)));
        }
    }

    private void insertEntries(long tenant, int modelId, int n) {
        fx.exec("SET SESSION cte_max_recursion_depth = 10000000", "INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields)"
                + " WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < " + n + ")"
                + " SELECT " + tenant + ", " + modelId + ", NOW(), NOW(), JSON_OBJECT('n', n, 'code',"
                + " IF(n % 10 = 0, CONCAT('x', n), CAST(n AS CHAR))) FROM seq");
    }

    private long completedA() {
        long done = 0;
        for (long t = 1; t <= TENANTS; t++) {
            done += fx.count("SELECT COUNT(*) FROM backfill_checkpoints WHERE job_name = ? AND status = 'completed'",
                    RetypeJobs.jobName(modelA.get(t).fieldId("code")));
        }
        return done;
    }

    /** n (the entry's ordinal in its model) to the value in the field's live slot. */
    private Map<Long, Object> slotValuesByN(ModelDefinition m) {
        List<Object> slot = fx.rows("SELECT p.table_name, sa.slot_column FROM stardust_slot_assignments sa"
                + " JOIN stardust_pages p ON p.id = sa.page_id WHERE sa.field_id = ? AND sa.status = 'ready'",
                m.fieldId("code")).get(0);
        Map<Long, Object> out = new HashMap<>();
        for (List<Object> r : fx.rows("SELECT JSON_EXTRACT(e.fields, '$.n'), s." + slot.get(1) + " FROM entry_data e"
                + " LEFT JOIN " + slot.get(0) + " s ON s.entry_id = e.id WHERE e.model_id = ?", m.modelId())) {
            out.put(Long.parseLong(String.valueOf(r.get(0))), r.get(1));
        }
        return out;
    }

    private List<Object> checkpointCounts(ModelDefinition m) {
        return fx.rows("SELECT status, rows_processed, coercion_nulls FROM backfill_checkpoints WHERE job_name = ?",
                RetypeJobs.jobName(m.fieldId("code"))).get(0);
    }

    private static int occurrences(Path log, String needle) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        int n = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(needle)) {
                n++;
            }
        }
        return n;
    }

    private static List<Long> checkpointsOf(Path log, String event) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = CHECKPOINT.matcher(line);
            if (line.contains(event) && m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
        }
        return ids;
    }

    private Map<String, String> streamsEnv(String instance) throws IOException {
        // one drop directory for both: a killed instance's claimed file is taken over by the other
        Map<String, String> s = ChildSettings.imports(kafka, Files.createDirectories(dir.resolve("drop")),
                dir.resolve("state-" + instance), run);
        s.put(StreamsAppConfig.READER_ID.key(), instance);
        s.put(StreamsAppConfig.BATCH_LINES.key(), "50"); // many small transactions: a kill lands inside the file
        s.put(StreamsAppConfig.TAKEOVER_AFTER.key(), "3s");
        s.put(BackfillSettings.DRIVER.key(), "streams");
        s.put(BackfillSettings.LEASE.key(), "3s");
        s.put("dsn", db.jdbcUrl());
        s.put("user", db.user());
        s.put("pass", db.password());
        s.put(BackfillConfig.PARTITIONS.key(), "6");
        s.put(BackfillConfig.INTERVAL.key(), "50ms");
        s.put("pidFileDir", dir.resolve("pids-" + instance).toString());
        return ChildSettings.env(StreamsAppConfig.definition().options(), s);
    }
}
