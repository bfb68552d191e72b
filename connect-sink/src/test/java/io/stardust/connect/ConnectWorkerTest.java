package io.stardust.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.ConnectOptions;
import io.stardust.kit.EmbeddedConnect;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connector on a real Kafka Connect 4.3.1 worker process (connector on the worker's classpath), real Kafka and
 * real MySQL: exactly-once through worker SIGKILLs and a MySQL restart, poison records in the DLQ table, and the
 * offsets REST API acting on the positions stored in MySQL.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class ConnectWorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int TENANTS = 2;
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private final SinkFixture fx;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "entries-" + run;
    private final String name = "stardust-" + run;
    private final EmbeddedConnect connect;

    ConnectWorkerTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
        this.fx = new SinkFixture(db, TENANTS);
        kafka.createTopic(topic, 4);
        this.connect = EmbeddedConnect.start(ConnectOptions.forTests(workDir(), kafka.bootstrapServers()));
    }

    @AfterEach
    void tearDown() {
        connect.close();
        fx.close();
    }

    /** {@code n} records over {@code keys} keys (Kafka key = entry key, so a key's records stay in order); every {@code poisonEvery}-th is not JSON. */
    private record Workload(int n, int keys, int poisonEvery) {
        int poison() {
            return poisonEvery == 0 ? 0 : n / poisonEvery;
        }

        boolean isPoison(int i) {
            return poisonEvery > 0 && i % poisonEvery == poisonEvery - 1;
        }

        static int tenant(int j) {
            return 1 + j % TENANTS;
        }
    }

    private void produce(Workload w) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < w.n(); i++) {
                int j = i % w.keys();
                String value = w.isPoison(i) ? "{poison " + i : SinkFixture.envelope(Workload.tenant(j), "k" + j, i);
                producer.send(new ProducerRecord<>(topic, "k" + j, value));
            }
        }
    }

    private long stored() {
        return fx.count("SELECT COALESCE(SUM(next_offset), 0) FROM stardust_ingest_offsets WHERE consumer_group = ?", "connect-" + name);
    }

    private void startConnector(int tasks) {
        Map<String, String> c = fx.connectorConfig(name, topic);
        c.put("tasks.max", Integer.toString(tasks));
        connect.createConnector(name, c);
        connect.awaitRunning(name, tasks, WAIT);
    }

    private void awaitStored(long atLeast) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> stored() >= atLeast);
    }

    /** One entry per key with its last record's value, one write per good record, every poison record quarantined. */
    private void verify(Workload w) {
        assertThat(stored()).isEqualTo(w.n());
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).as("one entry per key, never a second").isEqualTo(w.keys());
        assertThat(fx.count("SELECT COALESCE(SUM(event_count), 0) FROM stardust_entry_events")).as("one write per good record")
                .isEqualTo(w.n() - w.poison());
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq WHERE reason = 'not_json'")).isEqualTo(w.poison());
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isEqualTo(w.poison());
        for (int t = 1; t <= TENANTS; t++) {
            Map<String, String> expected = new HashMap<>();
            for (int j = 0; j < w.keys(); j++) {
                if (Workload.tenant(j) != t) {
                    continue;
                }
                int last = j + ((w.n() - 1 - j) / w.keys()) * w.keys();
                while (w.isPoison(last)) {
                    last -= w.keys();
                }
                expected.put("k" + j, Integer.toString(last));
            }
            assertThat(fx.liveSeqByKey(t)).as("latest value per key, tenant %d", t).isEqualTo(expected);
        }
    }

    @Test
    void fiftyThousandRecordsWithAHundredPoisonRecordsLandExactlyOnceThoughTheWorkerIsSigkilledTwice() {
        Workload w = new Workload(50_000, 5_000, 499);
        produce(w);
        startConnector(2);
        List<Long> killedAt = new ArrayList<>();
        for (long threshold : List.of(10_000L, 25_000L)) {
            awaitStored(threshold);
            connect.crash(); // SIGKILL: a put() may be mid-transaction
            killedAt.add(stored());
            connect.restart();
            startConnector(2); // standalone mode keeps no connector configurations
        }
        awaitStored(w.n());
        assertThat(killedAt).as("killed mid-stream").allMatch(s -> s < w.n());
        verify(w);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq WHERE error_message NOT LIKE 'value is not JSON%'"))
                .as("every DLQ row says why").isZero();
    }

    @Test
    void aMySqlRestartMidStreamIsSurvivedWithoutAnyRecordInTheDlq() {
        Workload w = new Workload(10_000, 1_000, 0);
        produce(w);
        startConnector(1);
        awaitStored(2_000);
        db.server().restart();
        awaitStored(w.n());
        verify(w);
        assertThat(connect.connectorStatus(name).isRunning(1)).isTrue();
    }

    @Test
    void theOffsetsRestApiMovesAndResetsThePositionsInMySqlAndReIngestingKeyedRecordsChangesNothing() {
        Workload w = new Workload(2_000, 200, 0);
        produce(w);
        startConnector(1);
        awaitStored(w.n());
        Map<String, Long> end = fx.positions("connect-" + name);
        connect.stopConnector(name);
        await().atMost(WAIT).until(() -> "STOPPED".equals(connect.connectorStatus(name).state()));

        connect.alterSinkOffset(name, topic, 0, 7);
        assertThat(fx.positions("connect-" + name)).containsEntry(topic + "-0", 7L);

        connect.resetOffsets(name);
        assertThat(fx.positions("connect-" + name)).isEmpty();

        connect.resumeConnector(name);
        connect.awaitRunning(name, 1, WAIT);
        awaitStored(w.n());
        assertThat(fx.positions("connect-" + name)).isEqualTo(end);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).as("re-ingested keyed records create nothing").isEqualTo(w.keys());
        Map<String, String> before = new HashMap<>(fx.liveSeqByKey(1));
        verifyLatest(w, before);
    }

    private void verifyLatest(Workload w, Map<String, String> tenantOne) {
        for (int j = 0; j < w.keys(); j++) {
            if (Workload.tenant(j) == 1) {
                int last = j + ((w.n() - 1 - j) / w.keys()) * w.keys();
                assertThat(tenantOne).containsEntry("k" + j, Integer.toString(last));
            }
        }
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isZero();
    }

    private static Path workDir() {
        Path dir = Path.of(System.getProperty("stardust.kit.dir", System.getProperty("java.io.tmpdir") + "/stardust-kit"));
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
