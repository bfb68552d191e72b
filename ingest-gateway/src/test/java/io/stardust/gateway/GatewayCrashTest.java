package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Effectively-once under failure, against the real broker and MySQL: the gateway process SIGKILLed at random
 * moments and restarted; the broker restarted mid-ingest; MySQL restarted mid-ingest. In every case exactly one
 * entry per key exists in the end, with the value of the key's last record, every record produced exactly one
 * outbox event (so no write was applied twice), and every event reached the events topic.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayCrashTest {
    private static final int TENANTS = 3;
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    GatewayCrashTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 3).set("gatewayBatchMaxRecords", "100");
        for (int t = 1; t <= TENANTS; t++) {
            fx.companyModel(t);
        }
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** N records over K keys (key j belongs to tenant 1 + j % 3), produced at a steady pace on a thread of its own. */
    /**
     * Records produced at a steady pace: at least {@code minimum}, and on until {@link #awaitProduced()}, so that a
     * test's kills all land while records are still arriving however fast the gateway drains them.
     */
    private final class Workload {
        final int keys;
        final Thread producer;
        private final int minimum;
        private volatile boolean stop;
        private volatile int n;

        Workload(int minimum, int keys, long pauseMicros) {
            this.minimum = minimum;
            this.keys = keys;
            this.producer = new Thread(() -> {
                int i = 0;
                for (; i < minimum || !stop; i++) {
                    int j = i % keys;
                    int tenant = 1 + j % TENANTS;
                    fx.producer().send(new ProducerRecord<>(fx.topic, Integer.toString(tenant), "{\"tenantId\":" + tenant
                            + ",\"model\":\"company\",\"key\":\"k" + j + "\",\"fields\":{\"seq\":" + i + ",\"name\":\"n" + i + "\"}}"));
                    if (pauseMicros > 0) {
                        LockSupport.parkNanos(pauseMicros * 1000);
                    }
                }
                fx.producer().flush();
                n = i;
            }, "workload");
            producer.start();
        }

        /** Whether records are still being produced (the minimum not reached, or no stop asked for yet). */
        boolean producing() {
            return producer.isAlive();
        }

        /** Stops producing once the minimum is reached and waits for the last record to be sent. */
        void awaitProduced() throws InterruptedException {
            stop = true;
            producer.join(120_000);
            assertThat(producer.isAlive()).isFalse();
            assertThat(n).isGreaterThanOrEqualTo(minimum);
        }

        void verify() {
            assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).as("one entry per key, never a second").isEqualTo(keys);
            assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isZero();
            for (int t = 1; t <= TENANTS; t++) {
                int model = fx.engine.findModel(t, "company").orElseThrow().modelId();
                Map<String, String> expected = new HashMap<>();
                for (int j = 0; j < keys; j++) {
                    if (1 + j % TENANTS == t) {
                        int last = j + ((n - 1 - j) / keys) * keys;
                        expected.put("k" + j, Integer.toString(last));
                    }
                }
                assertThat(fx.liveByKey(t, model, "seq")).as("latest value per key, tenant %d", t).isEqualTo(expected);
            }
            // Exactly one committed event per record (so no record was applied twice), each published at least once.
            Set<String> eventIds = new HashSet<>();
            Set<Long> entries = new HashSet<>();
            // duplicates are allowed (at-least-once publication), so read until the distinct ids are complete
            List<JsonNode> events = fx.readAll(fx.eventsTopic, l -> l.size() >= n && l.stream()
                            .map(r -> GatewayFixture.parse(r.value()).get("eventId").asText()).distinct().count() >= n,
                            Duration.ofSeconds(60)).stream()
                    .map(r -> GatewayFixture.parse(r.value())).toList();
            for (JsonNode e : events) {
                eventIds.add(e.get("eventId").asText());
                entries.add(e.get("entryId").asLong());
            }
            assertThat(eventIds).as("distinct event ids").hasSize(n);
            assertThat(entries).as("entries with events").hasSize(keys);
            assertThat(events.stream().filter(e -> e.get("type").asText().equals("created")).map(e -> e.get("eventId").asText())
                    .distinct().count()).isEqualTo(keys);
        }
    }

    @Test
    void sigkillAtRandomMomentsNeitherLosesNorDuplicatesAnEntry() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        // kept under target/ for inspection: the child's NDJSON log of every incarnation
        Path log = Path.of("target", "gateway-sigkill-" + System.currentTimeMillis() + ".log");
        Workload w = new Workload(4000, 2500, 3000);
        // first SIGKILL exactly at each crash point of the write path, then at random moments
        List<String> holds = List.of("before_commit:3", "after_commit:2", "relay_before_send:2", "relay_after_send:3", "", "", "");
        for (String hold : holds) {
            long before = fx.storedOffsets();
            Map<String, String> env = new HashMap<>(fx.environment());
            env.put(GatewayApp.HOLD_AT_ENV, hold);
            try (KillableProcess g = KillableProcess.start(GatewayApp.class, env, log)) {
                if (!hold.isEmpty()) {
                    String marker = "crash point reached: " + hold.substring(0, hold.indexOf(':'));
                    long logged = occurrences(log, marker);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> occurrences(log, marker) > logged || !g.isAlive());
                } else {
                    // only once this incarnation has committed something, then at a random moment after that
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> fx.storedOffsets() > before || !g.isAlive());
                    LockSupport.parkNanos(Duration.ofMillis(random.nextInt(600)).toNanos());
                }
                assertThat(g.isAlive()).as("gateway alive, see %s", log).isTrue();
                assertThat(w.producing()).as("the kill comes while records are still arriving").isTrue();
                g.kill();
            }
        }
        w.awaitProduced();
        KillableProcess last = KillableProcess.start(GatewayApp.class, fx.environment(), log);
        try {
            fx.awaitIngested(Duration.ofSeconds(120));
            w.verify();
        } finally {
            assertThat(last.terminate()).as("SIGTERM drains and exits 0 (seed %d)", seed).isZero();
        }
    }

    /**
     * Two gateway processes in one group over two partitions, SIGKILLed alternately at random moments while the
     * other keeps running: partitions move between them (dynamic membership, so a killed member's partitions go to
     * the survivor after the session timeout and are split again when it restarts), and a batch of the member
     * that lost a partition is fenced off by the new owner's positions.
     */
    @Test
    void twoGatewaysInOneGroupOverTwoPartitionsKilledAlternatelyNeitherLoseNorDuplicateAnEntry() throws Exception {
        fx.close();
        fx = new GatewayFixture(db, kafka, 2).set("gatewayBatchMaxRecords", "100").set("gatewayInstanceId", "");
        for (int t = 1; t <= TENANTS; t++) {
            fx.companyModel(t);
        }
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        long started = System.currentTimeMillis();
        Path[] logs = {Path.of("target", "gateway-pair-a-" + started + ".log"), Path.of("target", "gateway-pair-b-" + started + ".log")};
        Workload w = new Workload(4000, 2500, 4000);
        KillableProcess[] gateways = {KillableProcess.start(GatewayApp.class, fx.environment(), logs[0]), KillableProcess.start(GatewayApp.class, fx.environment(), logs[1])};
        List<Integer> exits = new java.util.ArrayList<>();
        int[] starts = {1, 1};
        try {
            for (int kill = 0; kill < 6; kill++) {
                int victim = kill % 2;
                long before = fx.storedOffsets();
                // generous: two JVMs starting and a group rebalance on a loaded 2-core machine
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                        .until(() -> fx.storedOffsets() > before || !gateways[0].isAlive() || !gateways[1].isAlive());
                LockSupport.parkNanos(Duration.ofMillis(random.nextInt(600)).toNanos());
                assertThat(gateways[0].isAlive() && gateways[1].isAlive()).as("both gateways alive, see %s (seed %d)",
                        List.of(logs), seed).isTrue();
                assertThat(w.producing()).as("the kill comes while records are still arriving (seed %d)", seed).isTrue();
                gateways[victim].kill();
                gateways[victim] = KillableProcess.start(GatewayApp.class, fx.environment(), logs[victim]);
                starts[victim]++;
            }
            w.awaitProduced();
            fx.awaitIngested(Duration.ofSeconds(180));
            w.verify();
            assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_offsets WHERE consumer_group = ? AND topic = ?",
                    fx.group, fx.topic)).as("both partitions carried records").isEqualTo(2);
        } finally {
            for (int i = 0; i < gateways.length; i++) {
                // a JVM still starting has no signal handler yet (SIGTERM would end it with 143): wait until the
                // last one started has said gateway_started, which it logs after the runtime took the signals
                Path log = logs[i];
                KillableProcess g = gateways[i];
                int expected = starts[i];
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> occurrences(log, "\"gateway_started\"") >= expected || !g.isAlive());
                exits.add(g.terminate());
            }
        }
        assertThat(exits).as("SIGTERM drains and exits 0 (seed %d)", seed).containsOnly(0);
    }

    private static long occurrences(Path log, String marker) throws java.io.IOException {
        try (var lines = java.nio.file.Files.lines(log)) {
            return lines.filter(l -> l.contains(marker)).count();
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    @Test
    void aBrokerRestartMidIngestIsSurvived() throws Exception {
        try (Gateway g = Gateway.start(fx.config())) {
            Workload w = new Workload(3000, 2000, 1500);
            await().atMost(Duration.ofSeconds(60)).until(() -> fx.storedOffsets() > 300);
            kafka.restart();
            w.awaitProduced();
            fx.awaitIngested(Duration.ofSeconds(120));
            w.verify();
        }
    }

    @Test
    void aMySqlRestartMidIngestIsSurvived() throws Exception {
        try (Gateway g = Gateway.start(fx.config())) {
            Workload w = new Workload(3000, 2000, 1500);
            await().atMost(Duration.ofSeconds(60)).until(() -> fx.storedOffsets() > 300);
            db.server().restart();
            w.awaitProduced();
            fx.awaitIngested(Duration.ofSeconds(120));
            w.verify();
        }
    }
}
