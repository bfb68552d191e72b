package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldLifecycleChange;
import io.stardust.FieldNotFoundException;
import io.stardust.FieldSpec;
import io.stardust.IncompatibleRetypeException;
import io.stardust.ModelDefinition;
import io.stardust.RetypeInProgressException;
import io.stardust.UncoercibleSlotValueException;
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
class RetypeInitiatorTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;
    private ModelDefinition m;
    private long code;

    RetypeInitiatorTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        life = new LifecycleSupport(fx);
        m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        code = m.fieldId("code");
        fx.engine.provisionPage(List.of("i_int_01", "i_int_02", "i_str_01"));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void anIncompatibleRetypeIsRefusedWithNothingChanged() {
        ModelDefinition t = fx.modelWithSlots(1, "t", new FieldSpec("n", DeclaredType.INT, true));
        long before = fx.engine.schemaVersion();
        assertThatThrownBy(() -> fx.engine.retypeField(1, t.fieldId("n"), DeclaredType.DATETIME))
                .isInstanceOf(IncompatibleRetypeException.class).hasMessageContaining("string");
        assertThat(fx.engine.schemaVersion()).isEqualTo(before);
        assertThat(fx.rows("SELECT declared_type FROM stardust_fields WHERE id = ?", t.fieldId("n"))).containsExactly(List.of("int"));
        assertThat(life.liveSlot(t.fieldId("n")).get(1)).isEqualTo("assigned");
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
    }

    @Test
    void theTupleRetypesTombstonesReservesABackfillingSlotAndCreatesTheCheckpointWithExactlyOneBump() {
        long oldSlot = (Long) life.liveSlot(code).get(0);
        long before = fx.engine.schemaVersion();
        try (EventCapture events = EventCapture.open()) {
            FieldLifecycleChange change = fx.engine.retypeField(1, code, DeclaredType.INT);

            assertThat(change.oldSlotAssignmentId()).isEqualTo(oldSlot);
            assertThat(change.newSlotAssignmentId()).isNotNull();
            assertThat(change.backfillRequired()).isTrue();
            assertThat(change.deferredAssignment()).isFalse();
            assertThat(events.names()).containsSubsequence("slot_reserved", "retype_started");
            EventCapture.Event started = events.named("retype_started").get(0);
            assertThat(started.get("old_declared_type")).isEqualTo("string");
            assertThat(started.get("new_declared_type")).isEqualTo("int");
            assertThat(started.get("deferred_assignment")).isEqualTo(false);
        }
        assertThat(fx.engine.schemaVersion()).isEqualTo(before + 1);
        assertThat(fx.rows("SELECT declared_type, is_filterable FROM stardust_fields WHERE id = ?", code))
                .containsExactly(List.of("int", true));
        assertThat(fx.rows("SELECT status, field_id, sweep_cursor_id FROM stardust_slot_assignments WHERE id = ?", oldSlot))
                .containsExactly(java.util.Arrays.asList("tombstoned", null, null));
        assertThat(life.liveSlot(code).get(1)).isEqualTo("backfilling");
        assertThat((String) life.liveSlot(code).get(3)).startsWith("i_int_");
        assertThat(life.checkpoint(code)).containsExactly("running", 0L, "string", 0L, 0L);
    }

    @Test
    void aSecondInitiationWhileTheBackfillRunsIsRefused() {
        fx.engine.retypeField(1, code, DeclaredType.INT);
        long version = fx.engine.schemaVersion();
        assertThatThrownBy(() -> fx.engine.demoteFieldFromFilterable(1, code)).isInstanceOf(RetypeInProgressException.class)
                .hasMessageContaining("retype_field_" + code);
        assertThat(fx.engine.schemaVersion()).isEqualTo(version);
    }

    @Test
    void anUnknownOrForeignFieldIsNotFound() {
        assertThatThrownBy(() -> fx.engine.retypeField(1, 9999, DeclaredType.INT)).isInstanceOf(FieldNotFoundException.class);
        assertThatThrownBy(() -> fx.engine.promoteFieldToFilterable(2, code)).isInstanceOf(FieldNotFoundException.class);
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
    }

    @Test
    void aFieldGoesThroughAnyNumberOfLifecyclesBecauseFinishedCheckpointsAreClearedInTheTuple() {
        long entry = fx.write(1, m, Map.of("code", "12"));
        fx.engine.retypeField(1, code, DeclaredType.INT);
        life.runToCompletion(100);
        fx.engine.retypeField(1, code, DeclaredType.STRING);
        life.runToCompletion(100);
        fx.engine.retypeField(1, code, DeclaredType.INT);
        life.runToCompletion(100);

        assertThat(life.checkpoint(code).get(0)).isEqualTo("completed");
        assertThat(life.liveSlot(code).get(1)).isEqualTo("ready");
        assertThat(life.slotValue(code, entry)).isEqualTo(12L);
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isEqualTo(1);
    }

    @Test
    void writesCoerceAgainstTheNewTypeFromTheMomentTheRetypeStarts() {
        fx.engine.retypeField(1, code, DeclaredType.INT);
        assertThatThrownBy(() -> fx.write(1, m, Map.of("code", "hello"))).isInstanceOf(UncoercibleSlotValueException.class);
        long entry = fx.write(1, m, Map.of("code", "7"));
        assertThat(life.slotValue(code, entry)).as("lands in the backfilling slot").isEqualTo(7L);
    }
}
