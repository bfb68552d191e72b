package io.stardust.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.gateway.GatewayApp;
import io.stardust.gateway.GatewayConfig;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.mirror.RegistryMirror;
import io.stardust.streams.StreamsApp;
import io.stardust.streams.StreamsAppConfig;
import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.LineRejection;
import io.stardust.streams.wire.RejectedLine;
import io.stardust.streams.wire.TopicSnapshot;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole import path on real servers: the registry mirror publishes the registry, the streams app (a child JVM)
 * reads an NDJSON file and a CSV with bad lines of every kind from the drop directory, the real gateway (a child
 * JVM) writes the accepted lines to MySQL. Both processes are SIGKILLed at random moments and restarted. In the end
 * every good line is exactly one entry (each carries a per-line marker), every bad line is reported once with its
 * file, line and reason, the lines only the gateway refuses (longer than its record limit) are dead-lettered once
 * each and named with file:line, every line is counted once as landed, rejected or dead-lettered, both imports are
 * {@code landed} and both files are in {@code done/}.
 *
 * <p>The sizes, 100,000 NDJSON and 50,000 CSV lines (about 2 minutes here); smaller runs with
 * {@code -Dstardust.import.ndjsonLines=N -Dstardust.import.csvLines=M}.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class FileImportCrashTest {
    private static final int TENANTS = 3;
    private static final int NDJSON_LINES = Integer.getInteger("stardust.import.ndjsonLines", 100_000);
    private static final int CSV_LINES = Integer.getInteger("stardust.import.csvLines", 50_000);
    /** The gateway's record limit in this test: a few NDJSON lines pass the topology but exceed it. */
    private static final int GATEWAY_MAX_RECORD_BYTES = 4096;

    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    Path dir;
    private EngineFixture fx;
    private RegistryMirror mirror;

    FileImportCrashTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        for (int t = 1; t <= TENANTS; t++) {
            fx.modelWithSlots(t, "company", new FieldSpec("name", DeclaredType.STRING, true),
                    new FieldSpec("seq", DeclaredType.INT, true));
        }
        mirror = RegistryMirror.start(ChildSettings.mirror(db, kafka, run), Clock.systemUTC());
        // lines are validated against the topic: wait for the mirror's snapshot of the three models
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> readAll("registry-" + run).stream()
                .filter(r -> r.key().contains("\"stardust_models\"")).count() >= TENANTS);
    }

    @AfterEach
    void tearDown() {
        if (mirror != null) {
            mirror.close();
        }
        fx.close();
    }

    @Test
    void sigkilledStreamsAppAndGatewayStillLandExactlyTheGoodLinesAndReportEveryBadLineWithFileLineAndReason() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Map<String, LineRejection> expectedRejects = new TreeMap<>();
        Set<String> goodMarkers = new HashSet<>();
        Set<String> expectedDeadLettered = new TreeSet<>();
        writeNdjson(drop, expectedRejects, goodMarkers, expectedDeadLettered);
        writeCsv(drop, expectedRejects, goodMarkers);
        assertThat(expectedRejects).hasSize(25);

        Path streamsLog = Path.of("target", "streams-sigkill-" + run + ".log");
        Path gatewayLog = Path.of("target", "gateway-sigkill-" + run + ".log");
        List<String> kills = new ArrayList<>();
        KillableProcess gateway = KillableProcess.start(GatewayApp.class, gatewayEnv(), gatewayLog);
        KillableProcess streams = KillableProcess.start(StreamsApp.class, streamsEnv(drop), streamsLog);
        try {
            // the files are dropped once both processes run; "*.partial" first, so no half-written file is claimed
            for (String f : List.of("big.ndjson", "1/company/rows.csv")) {
                Files.move(drop.resolve(f + ".partial"), drop.resolve(f));
            }
            // 1: the streams app while its reader is in the middle of the first file (between or inside transactions)
            await().atMost(Duration.ofMinutes(2)).until(() -> occurrences(streamsLog, "\"import_claimed\"") >= 1);
            await().pollDelay(Duration.ofMillis(200 + random.nextInt(1000))).until(() -> true);
            streams.kill();
            kills.add("streams mid-read at " + entries() + " entries");
            streams = KillableProcess.start(StreamsApp.class, streamsEnv(drop), streamsLog);
            // 2: the gateway, and 3: the streams app again, at random numbers of landed entries
            long total = NDJSON_LINES + CSV_LINES;
            long gatewayAt = total / 5 + random.nextInt((int) (total / 5));
            await().atMost(Duration.ofMinutes(3)).until(() -> entries() >= gatewayAt);
            gateway.kill();
            kills.add("gateway at " + entries() + " entries");
            gateway = KillableProcess.start(GatewayApp.class, gatewayEnv(), gatewayLog);
            long streamsAt = gatewayAt + 1_000 + random.nextInt((int) (total / 4));
            await().atMost(Duration.ofMinutes(3)).until(() -> entries() >= streamsAt);
            streams.kill();
            kills.add("streams at " + entries() + " entries");
            streams = KillableProcess.start(StreamsApp.class, streamsEnv(drop), streamsLog);
            int good = goodMarkers.size();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> entries() >= good && doneCount(drop) == 2);
            await().atMost(Duration.ofMinutes(2)).until(() -> statuses().values().stream()
                    .filter(c -> c.state().equals(ImportCounts.LANDED)).count() == 2);
        } finally {
            streams.close();
            gateway.close();
        }
        String context = "seed " + seed + ", kills " + kills + ", logs " + streamsLog + " " + gatewayLog;
        assertThat(occurrences(streamsLog, "\"import_resumed\"")).as("the first kill hit a file being read (%s)", context)
                .isPositive();

        List<String> markers = fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.marker')) FROM entry_data").stream()
                .map(r -> String.valueOf(r.get(0))).toList();
        assertThat(markers).as("one entry per good line, none twice (%s)", context).hasSize(goodMarkers.size())
                .doesNotHaveDuplicates();
        assertThat(new HashSet<>(markers)).as(context).isEqualTo(goodMarkers);
        assertThat(fx.rows("SELECT reason, import_line FROM stardust_ingest_dlq").stream()
                .map(r -> "big.ndjson:" + r.get(1) + ": " + r.get(0)).toList())
                .as("only the over-long lines reached the gateway's DLQ, with their import line (%s)", context)
                .containsExactlyInAnyOrderElementsOf(expectedDeadLettered);

        Map<String, LineRejection> rejected = new TreeMap<>();
        for (ConsumerRecord<String, String> r : readAll("imports-rejected-" + run)) {
            RejectedLine line = RejectedLine.fromJson(r.value());
            assertThat(rejected.put(line.file() + ":" + line.line(), line.reason())).as("reported once: %s (%s)", line, context).isNull();
            assertThat(line.message()).isNotBlank();
        }
        assertThat(rejected).as(context).isEqualTo(expectedRejects);

        Map<String, ImportCounts> status = statuses();
        long ndjsonGood = goodMarkers.stream().filter(m -> m.startsWith("n")).count();
        assertThat(status.values()).as("every line counted once: landed, rejected or dead-lettered (%s)", context)
                .extracting(ImportCounts::file, ImportCounts::lines, ImportCounts::rejected, ImportCounts::landed,
                        ImportCounts::deadLettered, ImportCounts::state)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("big.ndjson", (long) NDJSON_LINES, 13L, ndjsonGood,
                                (long) expectedDeadLettered.size(), ImportCounts.LANDED),
                        org.assertj.core.groups.Tuple.tuple("1/company/rows.csv", (long) CSV_LINES, 12L,
                                (long) CSV_LINES - 12, 0L, ImportCounts.LANDED));
        ImportCounts ndjsonStatus = status.values().stream().filter(c -> c.file().equals("big.ndjson")).findFirst().orElseThrow();
        assertThat(ndjsonStatus.deadLetteredAt()).as("import:status names the dead-lettered lines")
                .containsExactlyInAnyOrderElementsOf(expectedDeadLettered);
        assertThat(drop.resolve("done/big.ndjson")).exists();
        assertThat(drop.resolve("done/1/company/rows.csv")).exists();
    }

    /**
     * NDJSON lines 1..N over 3 tenants; 13 bad ones: bad JSON, unknown model, uncoercible value (3 kinds); and 3
     * valid lines longer than the gateway's record limit, which it dead-letters as {@code too_large}.
     */
    private void writeNdjson(Path drop, Map<String, LineRejection> rejects, Set<String> good, Set<String> deadLettered)
            throws IOException {
        Map<Integer, String> bad = new HashMap<>();
        int step = NDJSON_LINES / 14;
        LineRejection[] kinds = {LineRejection.NOT_JSON, LineRejection.UNKNOWN_MODEL, LineRejection.UNCOERCIBLE_VALUE};
        for (int i = 1; i <= 13; i++) {
            int line = i * step;
            LineRejection kind = kinds[i % kinds.length];
            bad.put(line, switch (kind) {
                case NOT_JSON -> "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"seq\":" + line;
                case UNKNOWN_MODEL -> "{\"tenantId\":2,\"model\":\"shipment\",\"fields\":{\"seq\":" + line + "}}";
                default -> "{\"tenantId\":3,\"model\":\"company\",\"fields\":{\"seq\":\"not a number\"}}";
            });
            rejects.put("big.ndjson:" + line, kind);
        }
        String padding = "x".repeat(GATEWAY_MAX_RECORD_BYTES);
        for (int i = 1; i <= 3; i++) {
            int line = i * step + step / 2;
            bad.put(line, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"seq\":" + line + ",\"note\":\"" + padding + "\"}}");
            deadLettered.add("big.ndjson:" + line + ": too_large");
        }
        try (BufferedWriter w = Files.newBufferedWriter(drop.resolve("big.ndjson.partial"), StandardCharsets.UTF_8)) {
            for (int line = 1; line <= NDJSON_LINES; line++) {
                String text = bad.get(line);
                if (text == null) {
                    int tenant = 1 + line % TENANTS;
                    String marker = "n" + line;
                    text = "{\"tenantId\":" + tenant + ",\"model\":\"company\",\"fields\":{\"seq\":" + line
                            + ",\"name\":\"row " + line + "\",\"marker\":\"" + marker + "\"}}";
                    good.add(marker);
                }
                w.write(text);
                w.write('\n');
            }
        }
    }

    /** CSV for tenant 1: header + N rows; 12 bad: wrong column count, uncoercible seq, an unterminated quote. */
    private void writeCsv(Path drop, Map<String, LineRejection> rejects, Set<String> good) throws IOException {
        Path file = drop.resolve("1/company/rows.csv.partial");
        Files.createDirectories(file.getParent());
        Map<Integer, String> bad = new HashMap<>();
        int step = CSV_LINES / 13;
        LineRejection[] kinds = {LineRejection.WRONG_COLUMN_COUNT, LineRejection.UNCOERCIBLE_VALUE, LineRejection.MALFORMED_CSV};
        for (int i = 1; i <= 12; i++) {
            int row = i * step;
            LineRejection kind = kinds[i % kinds.length];
            bad.put(row, switch (kind) {
                case WRONG_COLUMN_COUNT -> row + ",only two";
                case UNCOERCIBLE_VALUE -> "seven,\"csv row " + row + "\",c" + row;
                default -> row + ",\"unterminated,c" + row;
            });
            rejects.put("1/company/rows.csv:" + (row + 1), kind); // the header is line 1
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("seq,name,marker\r\n");
            for (int row = 1; row <= CSV_LINES; row++) {
                String text = bad.get(row);
                if (text == null) {
                    String marker = "c" + row;
                    text = row + ",\"csv, row " + row + "\"," + marker;
                    good.add(marker);
                }
                w.write(text);
                w.write("\r\n");
            }
        }
    }

    private static long occurrences(Path log, String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private long entries() {
        return fx.count("SELECT COUNT(*) FROM entry_data");
    }

    private static long doneCount(Path drop) throws IOException {
        Path done = drop.resolve("done");
        if (!Files.isDirectory(done)) {
            return 0;
        }
        try (var files = Files.walk(done)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private Map<String, ImportCounts> statuses() {
        Map<String, ImportCounts> latest = new HashMap<>();
        for (ConsumerRecord<String, String> r : readAll("imports-status-" + run)) {
            latest.put(r.key(), ImportCounts.fromJson(r.value()));
        }
        return latest;
    }

    /** Every committed record of the topic, as the CLI reads it. */
    private List<ConsumerRecord<String, String>> readAll(String topic) {
        return TopicSnapshot.read(kafka.bootstrapServers(), topic, Duration.ofSeconds(30));
    }

    private Map<String, String> streamsEnv(Path drop) {
        Map<String, String> s = ChildSettings.imports(kafka, drop, dir.resolve("state"), run);
        s.put(StreamsAppConfig.BATCH_LINES.key(), "50"); // many transactions: a kill lands inside a file
        s.put("pidFileDir", dir.resolve("pids").toString());
        return ChildSettings.env(StreamsAppConfig.definition().options(), s);
    }

    private Map<String, String> gatewayEnv() {
        Map<String, String> s = new HashMap<>();
        s.put("dsn", db.jdbcUrl());
        s.put("user", db.user());
        s.put("pass", db.password());
        s.put(GatewayConfig.KAFKA_BOOTSTRAP.key(), kafka.bootstrapServers());
        s.put(GatewayConfig.TOPIC.key(), "entries-" + run);
        s.put(GatewayConfig.EVENTS_TOPIC.key(), "entries-events-" + run);
        s.put(GatewayConfig.GROUP_ID.key(), "gateway-" + run);
        s.put(GatewayConfig.METRICS_PORT.key(), "-1");
        s.put(GatewayConfig.SESSION_TIMEOUT.key(), "6s");
        s.put(GatewayConfig.MAX_RECORD_BYTES.key(), Integer.toString(GATEWAY_MAX_RECORD_BYTES));
        s.put("pidFileDir", dir.resolve("pids").toString());
        return ChildSettings.env(GatewayConfig.definition().options(), s);
    }
}
