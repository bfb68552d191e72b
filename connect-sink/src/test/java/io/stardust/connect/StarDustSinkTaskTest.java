package io.stardust.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The task against real MySQL, driven as the worker drives it, with a stub of the worker's context. */
@ExtendWith(MySqlExtension.class)
class StarDustSinkTaskTest {
    private static final String TOPIC = "entries";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private final SinkFixture fx;
    private final List<StarDustSinkTask> tasks = new ArrayList<>();

    StarDustSinkTaskTest(TestDatabase db) {
        this.fx = new SinkFixture(db, 2);
    }

    @AfterEach
    void tearDown() {
        tasks.forEach(StarDustSinkTask::stop);
        fx.close();
    }

    private StarDustSinkTask task(StubContext ctx, Map<String, String> config) {
        StarDustSinkTask t = new StarDustSinkTask();
        t.initialize(ctx);
        t.start(config);
        tasks.add(t);
        return t;
    }

    private Map<String, String> config(String name) {
        return fx.connectorConfig(name, TOPIC);
    }

    private static SinkRecord rec(int partition, long offset, String key, String value) {
        return new SinkRecord(TOPIC, partition, Schema.OPTIONAL_STRING_SCHEMA, key, Schema.OPTIONAL_STRING_SCHEMA, value, offset);
    }

    @Test
    void openSeeksEachPartitionToItsPositionInMySqlOrTheStartAndPreCommitGivesKafkaNothingToCommit() {
        Map<String, String> cfg = config("seek");
        StubContext first = new StubContext(cfg);
        StarDustSinkTask t1 = task(first, cfg);
        t1.open(List.of(P0));
        t1.put(List.of(rec(0, 0, null, SinkFixture.envelope(1, "a", 1)), rec(0, 1, null, SinkFixture.envelope(1, "b", 2))));
        assertThat(t1.preCommit(Map.of(P0, new OffsetAndMetadata(2)))).isEmpty();
        t1.stop();

        StubContext second = new StubContext(cfg);
        StarDustSinkTask t2 = task(second, cfg);
        t2.open(List.of(P0, P1));

        assertThat(second.seeks).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 2L, P1, 0L));
        assertThat(fx.positions("connect-seek")).containsExactlyInAnyOrderEntriesOf(Map.of("entries-0", 2L));
    }

    @Test
    void recordsHandedAgainAfterTheyWereWrittenAreNotWrittenTwice() {
        Map<String, String> cfg = config("again");
        StarDustSinkTask t = task(new StubContext(cfg), cfg);
        t.open(List.of(P0));
        List<SinkRecord> batch = List.of(rec(0, 0, null, SinkFixture.envelope(1, "a", 1)), rec(0, 1, null, SinkFixture.envelope(1, "a", 2)));
        t.put(batch);
        t.put(batch);
        t.put(List.of(rec(0, 1, null, SinkFixture.envelope(1, "a", 2)), rec(0, 2, null, SinkFixture.envelope(1, "a", 3))));

        assertThat(fx.count("SELECT COALESCE(SUM(event_count), 0) FROM stardust_entry_events")).as("one write per record").isEqualTo(3);
        assertThat(fx.liveSeqByKey(1)).containsExactlyEntriesOf(Map.of("a", "3"));
        assertThat(fx.positions("connect-again")).containsEntry("entries-0", 3L);
    }

    @Test
    void aPoisonRecordIsQuarantinedWithItsReasonItsBatchIsWrittenAndWithToleranceAllTheWorkerHearsOfIt() {
        Map<String, String> cfg = config("poison");
        cfg.put("errors.tolerance", "all");
        StubContext ctx = new StubContext(cfg);
        StarDustSinkTask t = task(ctx, cfg);
        t.open(List.of(P0));
        t.put(List.of(rec(0, 0, null, SinkFixture.envelope(1, "a", 1)), rec(0, 1, null, "{not json"),
                rec(0, 2, null, SinkFixture.envelope(9, "b", 2)), rec(0, 3, null, SinkFixture.envelope(1, "c", 3))));

        assertThat(fx.liveSeqByKey(1)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "c", "3"));
        assertThat(fx.rows("SELECT source_offset, reason FROM stardust_ingest_dlq ORDER BY source_offset"))
                .containsExactly(List.of(1L, "not_json"), List.of(2L, "unknown_tenant"));
        assertThat(ctx.reported).hasSize(2).anySatisfy(r -> assertThat(r).startsWith("1:stardust not_json"));
        assertThat(fx.positions("connect-poison")).containsEntry("entries-0", 4L);
    }

    @Test
    void withErrorsToleranceNoneAPoisonRecordIsStillQuarantinedInMySqlAndTheTaskGoesOn() {
        Map<String, String> cfg = config("none");
        StubContext ctx = new StubContext(cfg);
        StarDustSinkTask t = task(ctx, cfg);
        t.open(List.of(P0));
        t.put(List.of(rec(0, 0, null, "[1,2]"), rec(0, 1, null, SinkFixture.envelope(1, "a", 1))));

        assertThat(fx.rows("SELECT reason FROM stardust_ingest_dlq")).containsExactly(List.of("malformed_envelope"));
        assertThat(ctx.reported).as("a reporter with tolerance none would fail the task").isEmpty();
        assertThat(fx.liveSeqByKey(1)).containsEntry("a", "1");
    }

    @Test
    void positionsAreKeptPerOriginalTopicPartitionSoAnSmtThatRenamesTheTopicMovesNothing() {
        Map<String, String> cfg = config("renamed");
        StarDustSinkTask t = task(new StubContext(cfg), cfg);
        t.open(List.of(P0));
        SinkRecord renamed = new SinkRecord("renamed-topic", 7, Schema.OPTIONAL_STRING_SCHEMA, null, Schema.OPTIONAL_STRING_SCHEMA,
                SinkFixture.envelope(1, "a", 1), 99, null, org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE,
                List.of(), TOPIC, 0, 0L);
        t.put(List.of(renamed));

        assertThat(fx.positions("connect-renamed")).containsExactlyEntriesOf(Map.of("entries-0", 1L));
    }

    @Test
    void aStructValueFromASchemaConverterIsWrittenLikeItsJsonEnvelope() {
        Map<String, String> cfg = config("struct");
        StarDustSinkTask t = task(new StubContext(cfg), cfg);
        t.open(List.of(P0));
        Schema fields = SchemaBuilder.struct().field("seq", Schema.INT32_SCHEMA).field("name", Schema.STRING_SCHEMA).build();
        Schema env = SchemaBuilder.struct().field("tenantId", Schema.INT64_SCHEMA).field("model", Schema.STRING_SCHEMA)
                .field("key", Schema.STRING_SCHEMA).field("fields", fields).build();
        Struct value = new Struct(env).put("tenantId", 2L).put("model", "company").put("key", "s")
                .put("fields", new Struct(fields).put("seq", 7).put("name", "seven"));
        t.put(List.of(new SinkRecord(TOPIC, 0, null, null, env, value, 0)));

        assertThat(fx.liveSeqByKey(2)).containsExactlyEntriesOf(Map.of("s", "7"));
    }

    @Test
    void aTombstoneSoftDeletesTheEntryOfItsKey() {
        Map<String, String> cfg = config("tomb");
        StarDustSinkTask t = task(new StubContext(cfg), cfg);
        t.open(List.of(P0));
        t.put(List.of(rec(0, 0, null, SinkFixture.envelope(1, "gone", 1)), rec(0, 1, null, SinkFixture.envelope(1, "kept", 2)),
                rec(0, 2, "1/company/gone", null)));

        assertThat(fx.liveSeqByKey(1)).containsExactlyEntriesOf(Map.of("kept", "2"));
    }

    @Test
    void whileMySqlCannotWriteTheBatchPutThrowsRetriableWithABackoffQuarantinesNothingAndWritesItOnceLater() throws Exception {
        Map<String, String> cfg = config("outage");
        StubContext ctx = new StubContext(cfg);
        StarDustSinkTask t;
        // A lock wait timeout is an outage like a lost server, without restarting the server the suite shares.
        fx.exec("SET GLOBAL innodb_lock_wait_timeout = 1");
        try {
            t = task(ctx, cfg); // its pool's sessions get the 1 s timeout
        } finally {
            fx.exec("SET GLOBAL innodb_lock_wait_timeout = 50");
        }
        t.open(List.of(P0));
        t.put(List.of(rec(0, 0, null, SinkFixture.envelope(1, "a", 1))));
        List<SinkRecord> second = List.of(rec(0, 1, null, SinkFixture.envelope(1, "a", 2)));
        try (Connection holder = fx.ds.getConnection(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeQuery("SELECT * FROM stardust_ingest_offsets WHERE consumer_group = 'connect-outage' FOR UPDATE").close();

            assertThatThrownBy(() -> t.put(second)).isInstanceOf(RetriableException.class).hasMessageContaining("MySQL is unavailable");
            holder.rollback();
        }
        assertThat(ctx.timeouts).containsExactly(100L);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isZero();

        ctx.seeks.clear();
        t.put(second); // handed again by the worker: positions are re-read and the consumer sought, nothing written
        assertThat(ctx.seeks).containsExactlyEntriesOf(Map.of(P0, 1L));
        t.put(second); // the records from the stored position
        assertThat(fx.liveSeqByKey(1)).containsExactlyEntriesOf(Map.of("a", "2"));
        assertThat(fx.count("SELECT COALESCE(SUM(event_count), 0) FROM stardust_entry_events")).isEqualTo(2);
    }

    @Test
    void theTaskPublishesRecordsWrittenQuarantinedByReasonAndBatchLatencyThroughPluginMetrics() throws Exception {
        Map<String, String> cfg = config("metrics");
        StubContext ctx = new StubContext(cfg);
        try (Metrics registry = new Metrics()) {
            ctx.metrics = new PluginMetricsImpl(registry, Map.of("connector", "metrics", "task", "0"));
            StarDustSinkTask t = task(ctx, cfg);
            t.open(List.of(P0));
            t.put(List.of(rec(0, 0, null, SinkFixture.envelope(1, "a", 1)), rec(0, 1, null, "nope"),
                    rec(0, 2, null, SinkFixture.envelope(1, "b", 2))));

            assertThat(metric(registry, "records-written-total", Map.of())).isEqualTo(2.0);
            assertThat(metric(registry, "records-quarantined-total", Map.of("reason", "not_json"))).isEqualTo(1.0);
            assertThat(metric(registry, "batch-latency-max", Map.of())).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void twoTasksInOneWorkerCountTheirRecordsEachInTheirOwnMetrics() {
        Map<String, String> cfg = config("two");
        try (Metrics registry = new Metrics()) {
            StubContext c0 = new StubContext(cfg);
            c0.metrics = new PluginMetricsImpl(registry, Map.of("connector", "two", "task", "0"));
            StubContext c1 = new StubContext(cfg);
            c1.metrics = new PluginMetricsImpl(registry, Map.of("connector", "two", "task", "1"));
            StarDustSinkTask t0 = task(c0, cfg);
            StarDustSinkTask t1 = task(c1, cfg);
            t0.open(List.of(P0));
            t1.open(List.of(P1));
            t0.put(List.of(rec(0, 0, null, SinkFixture.envelope(1, "a", 1))));
            t1.put(List.of(rec(1, 0, null, SinkFixture.envelope(1, "b", 1)), rec(1, 1, null, SinkFixture.envelope(1, "c", 1))));

            assertThat(metric(registry, "records-written-total", Map.of("task", "0"))).isEqualTo(1.0);
            assertThat(metric(registry, "records-written-total", Map.of("task", "1"))).isEqualTo(2.0);
        }
    }

    private static double metric(Metrics registry, String name, Map<String, String> tags) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().entrySet().containsAll(tags.entrySet()))
                .map(e -> (Double) e.getValue().metricValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " " + tags + " in " + registry.metrics().keySet()));
    }
}
