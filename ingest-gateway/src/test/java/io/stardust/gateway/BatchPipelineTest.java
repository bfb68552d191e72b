package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.UtcClock;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter;
import io.stardust.ingest.write.BatchWriter.Committed;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pipelining: the gateway plans the next batch ahead of its transaction ({@link BatchWriter#prepare}), from the
 * routes and lifecycle state cached for the schema version the last transaction read. A plan is used only if the
 * batch's own transaction reads that same version; otherwise the batch is planned again, so a registry or lifecycle
 * change that committed in between is honoured exactly as without pipelining.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class BatchPipelineTest {
    private static final String TOPIC = "pipeline";

    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private BatchWriter writer;
    private final Map<SourcePartition, Long> positions = new HashMap<>();

    BatchPipelineTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 1);
        writer = new BatchWriter(fx.ds, new RecordPlanner(new ModelResolver(), 1 << 20), new IngestDlqStore(1 << 20), "pipeline-test",
                new UtcClock(Clock.systemUTC()), Duration.ofMillis(10), Duration.ofMillis(100), () -> false,
                BatchWriter.Listener.NONE, HoldPoints.NONE, false);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aBatchPlannedAheadIsPlannedAgainByItsTransactionWhenAFieldWasRenamedInBetween() {
        ModelDefinition m = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true));
        write(List.of(record(0, "warm", "Warm")), RecordPlanner.Prepared.NONE); // fills the caches for this version
        List<SourceRecord> next = List.of(record(1, "k", "Acme"));
        RecordPlanner.Prepared ahead = writer.prepare(next);
        assertThat(ahead.size()).as("planned from the caches, without MySQL").isEqualTo(1);

        fx.engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Before"))); // the rewrite has work: it stays in flight
        fx.engine.renameField(1, m.fieldId("name"), "title");
        write(next, ahead);

        assertThat(payload("k")).as("stored under the new name, as the transaction's schema version says")
                .isEqualTo("{\"title\": \"Acme\"}");
    }

    @Test
    void aBatchPlannedAheadUnderTheVersionItsTransactionReadsIsWrittenAsPlanned() {
        fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true));
        write(List.of(record(0, "warm", "Warm")), RecordPlanner.Prepared.NONE);
        List<SourceRecord> next = List.of(record(1, "k", "Acme"), record(2, "k", "Acme 2"), record(3, null, "Unkeyed"));
        write(next, writer.prepare(next));

        assertThat(payload("k")).isEqualTo("{\"name\": \"Acme 2\"}");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE deleted_at IS NULL")).isEqualTo(3);
        assertThat(positions).containsEntry(new SourcePartition(TOPIC, 0), 4L);
    }

    private void write(List<SourceRecord> records, RecordPlanner.Prepared prepared) {
        BatchWriter.Result result = writer.write(new Batch(records, positions, prepared));
        assertThat(result).isInstanceOf(Committed.class);
        positions.putAll(((Committed) result).next());
    }

    private static SourceRecord record(long offset, String key, String name) {
        String value = "{\"tenantId\":1,\"model\":\"company\"," + (key == null ? "" : "\"key\":\"" + key + "\",")
                + "\"fields\":{\"name\":\"" + name + "\"}}";
        return new SourceRecord(TOPIC, 0, offset, "1".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), 0);
    }

    private String payload(String key) {
        return fx.rows("SELECT CAST(e.fields AS CHAR) FROM stardust_entry_keys k JOIN entry_data e ON e.id = k.entry_id"
                + " WHERE k.entry_key = ?", key).get(0).get(0).toString();
    }
}
