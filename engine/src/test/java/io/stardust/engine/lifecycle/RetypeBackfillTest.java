package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldNotIndexedException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.filter.LeafNode;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class RetypeBackfillTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;
    private ModelDefinition m;
    private long code;

    RetypeBackfillTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        life = new LifecycleSupport(fx);
        m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        code = m.fieldId("code");
        fx.engine.provisionPage(List.of("i_int_01"));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aStringToIntBackfillCoercesWhatItCanNullsTheRestWithReasonsAndPromotesTheSlotToReady() {
        long a = fx.write(1, m, Map.of("code", "42"));
        long b = fx.write(1, m, Map.of("code", "-1"));
        long c = fx.write(1, m, Map.of("code", "hello"));
        long d = fx.write(1, m, Map.of("code", "3.5"));
        long e = fx.write(1, m, Map.of("other", 1));
        fx.engine.retypeField(1, code, DeclaredType.INT);
        long versionAtStart = fx.engine.schemaVersion();

        List<RetypeChunk.Done> chunks;
        try (EventCapture events = EventCapture.open()) {
            chunks = life.runToCompletion(500);
            assertThat(events.names()).containsExactly("promote_to_ready");
        }

        assertThat(chunks).hasSize(1);
        RetypeChunk.Done done = chunks.get(0);
        assertThat(done.finalChunk()).isTrue();
        assertThat(done.rowsProcessed()).isEqualTo(5);
        assertThat(done.coercionNulls()).containsExactly(new RetypeChunk.CoercionNull(c, CoercionMatrix.Reason.UNPARSEABLE),
                new RetypeChunk.CoercionNull(d, CoercionMatrix.Reason.UNPARSEABLE));
        assertThat(life.slotValue(code, a)).isEqualTo(42L);
        assertThat(life.slotValue(code, b)).isEqualTo(-1L);
        assertThat(life.slotValue(code, c)).isNull();
        assertThat(life.slotValue(code, e)).isNull();
        assertThat(life.liveSlot(code).get(1)).isEqualTo("ready");
        assertThat(life.checkpoint(code)).containsExactly("completed", e, "string", 5L, 2L);
        assertThat(fx.engine.schemaVersion()).as("one bump at promotion").isEqualTo(versionAtStart + 1);
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("code", "eq", 42))).rows())
                .extracting(r -> r.id()).containsExactly(a);
    }

    @Test
    void duringTheBackfillReadsComeFromJsonAndFiltersOnTheFieldAreRejected() {
        long a = fx.write(1, m, Map.of("code", "42"));
        fx.engine.retypeField(1, code, DeclaredType.INT);

        // the payload's "42", rendered in the field's new type (one rendering rule for every read)
        assertThat(fx.engine.get(1, a).orElseThrow().fields().get("code").longValue()).isEqualTo(42L);
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId())).rows().get(0).fields().get("code").longValue()).isEqualTo(42L);
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("code", "eq", 42))))
                .isInstanceOf(FieldNotIndexedException.class);
    }

    @Test
    void eachChunkMovesTheCheckpointSoTheNextChunkResumesAfterItsCursor() {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(fx.write(1, m, Map.of("code", String.valueOf(i))));
        }
        fx.engine.retypeField(1, code, DeclaredType.INT);

        RetypeChunk.Done first = (RetypeChunk.Done) life.chunk(2);
        assertThat(first.finalChunk()).isFalse();
        assertThat(life.checkpoint(code).subList(0, 2)).containsExactly("running", ids.get(1));
        assertThat(life.slotValue(code, ids.get(2))).as("not reached yet").isNull();

        List<RetypeChunk.Done> rest = life.runToCompletion(2);
        assertThat(rest).extracting(RetypeChunk.Done::cursorBefore).containsExactly(ids.get(1), ids.get(3));
        assertThat(rest.get(1).finalChunk()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(life.slotValue(code, ids.get(i))).isEqualTo((long) i);
        }
    }

    @Test
    void theChunkThatMakesTheSlotReadySchedulesTheSlotsCardinalityAndTheModelsSpreadSampleAndEarlierChunksDoNot() {
        for (int i = 0; i < 3; i++) {
            fx.write(1, m, Map.of("code", String.valueOf(i)));
        }
        fx.engine.retypeField(1, code, DeclaredType.INT);

        life.chunk(2);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_advisory_schedule")).as("not ready yet").isZero();
        life.runToCompletion(2);

        long slot = ((Number) life.liveSlot(code).get(0)).longValue();
        assertThat(fx.rows("SELECT sample_kind FROM stardust_advisory_schedule WHERE claimed_by IS NULL"
                + " AND next_due_at <= updated_at ORDER BY sample_kind"))
                .as("due at once, claimed by nobody").containsExactly(List.of("cardinality:" + slot),
                        List.of("spread:" + m.modelId()));
    }

    @Test
    void softDeletedEntriesAreSkipped() {
        long kept = fx.write(1, m, Map.of("code", "1"));
        long deleted = fx.write(1, m, Map.of("code", "2"));
        fx.engine.deleteEntry(1, deleted);
        fx.engine.retypeField(1, code, DeclaredType.INT);

        RetypeChunk.Done done = life.runToCompletion(500).get(0);

        assertThat(done.rowsProcessed()).isEqualTo(1);
        assertThat(life.slotValue(code, kept)).isEqualTo(1L);
        assertThat(life.slotValue(code, deleted)).isNull();
    }

    @Test
    void aCheckpointWhoseFieldVanishedIsMarkedFailedWithItsReasonAndTheNextOneStillRuns() {
        ModelDefinition other = fx.model(1, "other", new FieldSpec("n", DeclaredType.STRING, false));
        long entry = fx.write(1, other, Map.of("n", "5"));
        fx.exec("INSERT INTO backfill_checkpoints (job_name, last_processed_id, status, started_at, updated_at)"
                + " VALUES ('retype_field_987654', 0, 'running', UTC_TIMESTAMP() - INTERVAL 1 HOUR, UTC_TIMESTAMP() - INTERVAL 1 HOUR)");
        fx.engine.retypeField(1, other.fieldId("n"), DeclaredType.INT);
        fx.engine.promoteFieldToFilterable(1, other.fieldId("n"));

        RetypeChunk first = life.chunk(100);

        assertThat(first).isInstanceOf(RetypeChunk.Failed.class);
        assertThat(((RetypeChunk.Failed) first).reason()).contains("987654");
        assertThat(fx.rows("SELECT status, last_error FROM backfill_checkpoints WHERE job_name = 'retype_field_987654'"))
                .containsExactly(List.of("failed", "field 987654 no longer exists"));
        life.runToCompletion(100);
        assertThat(life.slotValue(other.fieldId("n"), entry)).isEqualTo(5L);
    }
}
