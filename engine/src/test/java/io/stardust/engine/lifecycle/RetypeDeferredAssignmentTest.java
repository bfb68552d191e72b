package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class RetypeDeferredAssignmentTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;

    RetypeDeferredAssignmentTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        life = new LifecycleSupport(fx);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aDeferredRetypeWaitsForCapacityUntilAnIndexedSlotOfTheTargetFamilyExistsThenBackfills() {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        long entry = fx.write(1, m, Map.of("code", "77"));
        assertThat(fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT).deferredAssignment()).isTrue();

        RetypeChunk waiting = life.chunk(100);
        assertThat(waiting).isInstanceOf(RetypeChunk.CapacityWait.class);
        assertThat(((RetypeChunk.CapacityWait) waiting).waiting().get(0).family()).isEqualTo("int");
        fx.engine.provisionPage(List.of()); // unindexed int slots do not satisfy it
        assertThat(life.chunk(100)).isInstanceOf(RetypeChunk.CapacityWait.class);

        fx.engine.provisionPage(List.of("i_int_01"));
        RetypeChunk.Done done = life.runToCompletion(100).get(0);

        assertThat(done.reservedNow()).isNotNull();
        assertThat(done.reservedNow().pageId()).isEqualTo(3);
        assertThat(life.slotValue(m.fieldId("code"), entry)).isEqualTo(77L);
        assertThat(life.liveSlot(m.fieldId("code")).get(1)).isEqualTo("ready");
    }

    @Test
    void aCheckpointWaitingForCapacityDoesNotBlockANewerOneThatCanRun() {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true),
                new FieldSpec("label", DeclaredType.STRING, false));
        long entry = fx.write(1, m, Map.of("code", "1", "label", "hi"));
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT); // oldest, waits: no int slot anywhere
        fx.engine.provisionPage(List.of("i_str_01"));
        fx.engine.promoteFieldToFilterable(1, m.fieldId("label"));

        RetypeChunk r = life.chunk(100);

        assertThat(r).isInstanceOf(RetypeChunk.Done.class);
        assertThat(((RetypeChunk.Done) r).fieldId()).isEqualTo(m.fieldId("label"));
        assertThat(life.slotValue(m.fieldId("label"), entry)).isEqualTo("hi");
        assertThat(life.chunk(100)).isInstanceOf(RetypeChunk.CapacityWait.class);
    }

    @Test
    void aDeferredFieldThatMeanwhileGotAnAssignedSlotIsBackfilledInThatSlotInsteadOfCrashing() {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        long entry = fx.write(1, m, Map.of("code", "5"));
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        fx.engine.provisionPage(List.of("i_int_01"));
        long assigned = fx.engine.reserveSlot(m.fieldId("code")).orElseThrow().slotAssignmentId(); // the exhaustion path's

        RetypeChunk.Done done = life.runToCompletion(100).get(0);

        assertThat(done.slotAssignmentId()).isEqualTo(assigned);
        assertThat(done.reservedNow()).isNull();
        assertThat(life.liveSlot(m.fieldId("code")).get(0)).isEqualTo(assigned);
        assertThat(life.slotValue(m.fieldId("code"), entry)).isEqualTo(5L);
    }
}
