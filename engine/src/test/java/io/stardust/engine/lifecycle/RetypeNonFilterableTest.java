package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldLifecycleChange;
import io.stardust.FieldNotFilterableException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.filter.LeafNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class RetypeNonFilterableTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;

    RetypeNonFilterableTest(TestDatabase db) {
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
    void retypingAJsonOnlyFieldIsARegistryOnlyChangeCompleteOnReturn() {
        ModelDefinition m = fx.model(1, "m", new FieldSpec("note", DeclaredType.STRING, false));
        long before = fx.engine.schemaVersion();

        FieldLifecycleChange change = fx.engine.retypeField(1, m.fieldId("note"), DeclaredType.INT);

        assertThat(change.backfillRequired()).isFalse();
        assertThat(change.newSlotAssignmentId()).isNull();
        assertThat(fx.engine.schemaVersion()).isEqualTo(before + 1);
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE field_id IS NOT NULL")).isZero();
        assertThat(life.chunk(100)).isInstanceOf(RetypeChunk.Idle.class);
    }

    @Test
    void aGrandfatheredSlotOfAJsonOnlyFieldIsTombstonedByItsRetype() {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("note", DeclaredType.STRING, true));
        fx.exec("UPDATE stardust_fields SET is_filterable = FALSE WHERE id = " + m.fieldId("note"));
        long slot = (Long) life.liveSlot(m.fieldId("note")).get(0);

        fx.engine.retypeField(1, m.fieldId("note"), DeclaredType.INT);

        assertThat(fx.rows("SELECT status FROM stardust_slot_assignments WHERE id = ?", slot)).containsExactly(List.of("tombstoned"));
        assertThat(life.liveSlot(m.fieldId("note"))).isNull();
    }

    @Test
    void demotionTombstonesTheSlotWithoutACheckpointAndReadsAndFiltersSeeItAtOnce() {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        long entry = fx.write(1, m, Map.of("code", "abc"));
        long slot = (Long) life.liveSlot(m.fieldId("code")).get(0);

        FieldLifecycleChange change = fx.engine.demoteFieldFromFilterable(1, m.fieldId("code"));

        assertThat(change.oldSlotAssignmentId()).isEqualTo(slot);
        assertThat(change.backfillRequired()).isFalse();
        assertThat(fx.rows("SELECT status FROM stardust_slot_assignments WHERE id = ?", slot)).containsExactly(List.of("tombstoned"));
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
        assertThat(fx.engine.get(1, entry).orElseThrow().fields().get("code").asText()).isEqualTo("abc");
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId())).rows().get(0).fields().get("code").asText()).isEqualTo("abc");
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("code", "eq", "abc"))))
                .isInstanceOf(FieldNotFilterableException.class);
        assertThat(fx.engine.describeModel(1, m.modelId()).orElseThrow().fields().get(0).isFilterable()).isFalse();
        assertThat(life.chunk(100)).isInstanceOf(RetypeChunk.Idle.class);
    }
}
