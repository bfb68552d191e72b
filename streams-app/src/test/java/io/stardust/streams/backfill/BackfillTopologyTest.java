package io.stardust.streams.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.kit.EventCapture;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import io.stardust.registry.events.SourcePosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keying and routing of the backfill sub-topology, with a recording chunk runner instead of MySQL. */
class BackfillTopologyTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final AtomicLong binlogPos = new AtomicLong(4);
    private final Map<String, Long> tenantOfJob = new HashMap<>();
    private final RecordingRunner runner = new RecordingRunner();
    private final List<String> lookups = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> registry;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "backfill-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        TenantLookup lookup = job -> {
            lookups.add(job);
            Long t = tenantOfJob.get(job);
            return t == null ? OptionalLong.empty() : OptionalLong.of(t);
        };
        driver = new TopologyTestDriver(BackfillTopology.build("registry",
                new BackfillTopology.Pacing(6, INTERVAL, 2, "inst-a"), lookup, runner, new EventLog("streams")), p);
        registry = driver.createInputTopic("registry", new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aRunningCheckpointIsKeyedByItsTenantAndItsChunksRunUntilItCompletes() {
        tenantOfJob.put("retype_field_5", 42L);
        runner.script(11, ChunkOutcome.Kind.PROGRESSED, ChunkOutcome.Kind.PROGRESSED, ChunkOutcome.Kind.COMPLETED);

        checkpoint(Op.CREATE, 11, "retype_field_5", "running");
        for (int i = 0; i < 5; i++) {
            driver.advanceWallClockTime(INTERVAL);
        }

        assertThat(runner.calls).containsExactly("42/11", "42/11", "42/11");
        assertThat(running()).as("completed: dropped from the tenant's running checkpoints").isEmpty();
    }

    @Test
    void checkpointStatesGoToTheRepartitionTopicKeyedByTenant() {
        tenantOfJob.put("retype_field_5", 42L);
        tenantOfJob.put("purge_model_8", 43L);
        runner.script(11, ChunkOutcome.Kind.NOT_CLAIMED);
        runner.script(12, ChunkOutcome.Kind.NOT_CLAIMED);
        var byTenant = driver.createOutputTopic("backfill-topology-test-" + BackfillTopology.REPARTITION + "-repartition",
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer());

        checkpoint(Op.CREATE, 11, "retype_field_5", "running");
        checkpoint(Op.CREATE, 12, "purge_model_8", "running");
        checkpoint(Op.UPDATE, 11, "retype_field_5", "completed");

        assertThat(byTenant.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value).containsExactly(
                "42=11|42|true|retype_field_5", "43=12|43|true|purge_model_8", "42=11|42|false|retype_field_5");
    }

    @Test
    void checkpointsOfOtherJobsAndRowsOfOtherTablesAreNotDriven() {
        tenantOfJob.put("retype_field_5", 42L);
        checkpoint(Op.CREATE, 12, "something_else_3", "running");
        change(Op.CREATE, "stardust_models", 5, null, row(5, "name", "m"));

        driver.advanceWallClockTime(INTERVAL);

        assertThat(runner.calls).isEmpty();
        assertThat(lookups).isEmpty();
    }

    @Test
    void aCheckpointThatEndsElsewhereLeavesTheStoreByItsRegistryChangeEvenAfterItsFieldIsGone() {
        tenantOfJob.put("purge_field_9", 7L);
        runner.script(13, ChunkOutcome.Kind.NOT_CLAIMED);
        checkpoint(Op.CREATE, 13, "purge_field_9", "running");
        driver.advanceWallClockTime(INTERVAL);
        assertThat(running()).hasSize(1);

        tenantOfJob.clear(); // the purge's last chunk deleted the field
        checkpoint(Op.DELETE, 13, "purge_field_9", null);

        assertThat(running()).isEmpty();
        assertThat(lookups).as("the tenant was looked up once and remembered").containsExactly("purge_field_9");
    }

    @Test
    void eachPunctuationRunsAtMostTheChunkBudgetTakingCheckpointsInTurn() {
        for (int i = 1; i <= 3; i++) {
            tenantOfJob.put("rename_field_" + i, 1L);
            runner.script(100 + i, ChunkOutcome.Kind.PROGRESSED, ChunkOutcome.Kind.PROGRESSED);
            checkpoint(Op.CREATE, 100 + i, "rename_field_" + i, "running");
        }

        driver.advanceWallClockTime(INTERVAL);
        assertThat(runner.calls).containsExactly("1/101", "1/102");
        driver.advanceWallClockTime(INTERVAL);
        assertThat(runner.calls).containsExactly("1/101", "1/102", "1/103", "1/101");
    }

    @Test
    void aFailedChunkIsRetriedAtTheNextPunctuationAndAFailedCheckpointIsDropped() {
        tenantOfJob.put("retype_field_5", 42L);
        runner.failNext = true;
        runner.script(11, ChunkOutcome.Kind.FAILED);
        checkpoint(Op.CREATE, 11, "retype_field_5", "running");

        try (EventCapture events = EventCapture.open()) {
            driver.advanceWallClockTime(INTERVAL);
            driver.advanceWallClockTime(INTERVAL);
            assertThat(events.names()).containsExactly("backfill_chunk_error", "backfill_failed");
        }
        assertThat(runner.calls).containsExactly("42/11", "42/11");
        assertThat(running()).isEmpty();
    }

    @Test
    void closingTheTaskReleasesTheLeasesOfTheCheckpointsItRan() {
        tenantOfJob.put("retype_field_5", 42L);
        runner.script(11, ChunkOutcome.Kind.PROGRESSED);
        checkpoint(Op.CREATE, 11, "retype_field_5", "running");
        driver.advanceWallClockTime(INTERVAL);

        driver.close();
        driver = null;

        assertThat(runner.released).containsExactly(11L);
    }

    @Test
    void eachChunkIsLoggedWithTheInstanceThatRanIt() {
        tenantOfJob.put("retype_field_5", 42L);
        runner.script(11, ChunkOutcome.Kind.COMPLETED);
        checkpoint(Op.CREATE, 11, "retype_field_5", "running");

        try (EventCapture events = EventCapture.open()) {
            driver.advanceWallClockTime(INTERVAL);
            assertThat(events.named("backfill_chunk")).singleElement().satisfies(e -> {
                assertThat(e.get("instance")).isEqualTo("inst-a");
                assertThat(e.get("tenant_id")).isEqualTo(42L);
                assertThat(e.get("checkpoint_id")).isEqualTo(11L);
                assertThat(e.get("final_chunk")).isEqualTo(true);
            });
            assertThat(events.names()).contains("backfill_completed");
        }
    }

    private Map<String, String> running() {
        KeyValueStore<String, String> store = driver.getKeyValueStore(BackfillTopology.RUNNING_STORE);
        Map<String, String> out = new HashMap<>();
        store.all().forEachRemaining(kv -> out.put(kv.key, kv.value));
        return out;
    }

    private void checkpoint(Op op, long id, String job, String status) {
        ObjectNode before = op == Op.DELETE ? row(id, "job_name", job) : null;
        ObjectNode after = op == Op.DELETE ? null : row(id, "job_name", job);
        if (after != null) {
            after.put("status", status);
        } else {
            before.put("status", "running");
        }
        change(op, "backfill_checkpoints", id, before, after);
    }

    private static ObjectNode row(long id, String column, String value) {
        ObjectNode row = Json.object();
        row.put("id", id);
        row.put(column, value);
        return row;
    }

    private void change(Op op, String table, long id, ObjectNode before, ObjectNode after) {
        ObjectNode key = Json.object();
        key.put("id", id);
        RegistryChange c = new RegistryChange(op, table, key, before, after,
                new SourcePosition("binlog.000001", binlogPos.incrementAndGet(), 0, null, 1, false), Instant.EPOCH);
        registry.pipeInput(RegistryChangeCodec.encodeKey(c), RegistryChangeCodec.encodeValue(c));
    }

    /** Answers each checkpoint's chunks from a script and records "tenant/checkpoint" per call. */
    private static final class RecordingRunner implements ChunkRunner {
        final List<String> calls = new ArrayList<>();
        final List<Long> released = new ArrayList<>();
        final Map<Long, List<ChunkOutcome.Kind>> scripts = new HashMap<>();
        boolean failNext;

        void script(long checkpointId, ChunkOutcome.Kind... kinds) {
            scripts.put(checkpointId, new ArrayList<>(List.of(kinds)));
        }

        @Override
        public ChunkOutcome runChunk(CheckpointState cp) throws Exception {
            calls.add(cp.tenantId() + "/" + cp.checkpointId());
            if (failNext) {
                failNext = false;
                throw new java.sql.SQLTransientConnectionException("database unreachable");
            }
            ChunkOutcome.Kind kind = scripts.get(cp.checkpointId()).remove(0);
            return kind == ChunkOutcome.Kind.FAILED ? ChunkOutcome.failed("field gone")
                    : kind == ChunkOutcome.Kind.PROGRESSED || kind == ChunkOutcome.Kind.COMPLETED
                    ? ChunkOutcome.progressed(10, kind == ChunkOutcome.Kind.COMPLETED) : ChunkOutcome.of(kind);
        }

        @Override
        public void release(long checkpointId) {
            released.add(checkpointId);
        }
    }
}
