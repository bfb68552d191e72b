package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldLifecycleChange;
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
class RetypeFilterabilityPromotionTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;

    RetypeFilterabilityPromotionTest(TestDatabase db) {
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
    void promotionMovesAGrandfatheredUnindexedSlotToAnIndexedColumnAndBackfillsIt() {
        ModelDefinition m = fx.model(1, "m", new FieldSpec("city", DeclaredType.STRING, true));
        fx.engine.provisionPage(List.of()); // page 1: nothing indexed
        long legacy = fx.engine.reserveSlot(m.fieldId("city")).orElseThrow().slotAssignmentId();
        fx.exec("UPDATE stardust_fields SET is_filterable = FALSE WHERE id = " + m.fieldId("city"));
        long entry = fx.write(1, m, Map.of("city", "Berlin"));
        fx.engine.provisionPage(List.of("i_str_01"));

        FieldLifecycleChange change = fx.engine.promoteFieldToFilterable(1, m.fieldId("city"));
        life.runToCompletion(100);

        assertThat(change.oldSlotAssignmentId()).isEqualTo(legacy);
        assertThat(life.liveSlot(m.fieldId("city"))).containsExactly(change.newSlotAssignmentId(), "ready", "entry_slots_page_2", "i_str_01");
        assertThat(life.slotValue(m.fieldId("city"), entry)).isEqualTo("Berlin");
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("city", "eq", "Berlin"))).rows())
                .hasSize(1);
    }

    @Test
    void promotionWithNoFreeIndexedSlotDefersWithARunningCheckpoint() {
        ModelDefinition m = fx.model(1, "m", new FieldSpec("city", DeclaredType.STRING, false));
        fx.engine.provisionPage(List.of("i_int_01"));

        FieldLifecycleChange change = fx.engine.promoteFieldToFilterable(1, m.fieldId("city"));

        assertThat(change.deferredAssignment()).isTrue();
        assertThat(change.newSlotAssignmentId()).isNull();
        assertThat(life.checkpoint(m.fieldId("city")).get(0)).isEqualTo("running");
        assertThat(life.liveSlot(m.fieldId("city"))).isNull();
    }
}
