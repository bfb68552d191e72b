package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.CompactionCapacityException;
import io.stardust.CompactionPlan;
import io.stardust.engine.lifecycle.CompactionPlanner.ModelSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactionPlannerTest {

    private static ModelSlot slot(long field, String family, int page) {
        return new ModelSlot(field, "f" + field, family, page, "i_" + family + "_01");
    }

    @Test
    void aModelAtItsFloorOrWithoutSlotsPlansNothing() {
        CompactionPlan empty = CompactionPlanner.plan(1, 7, List.of(), Map.of());
        assertThat(empty.isNoop()).isTrue();
        assertThat(empty.pagesBefore()).isZero();
        CompactionPlan onePage = CompactionPlanner.plan(1, 7, List.of(slot(1, "str", 3), slot(2, "int", 3)), Map.of());
        assertThat(onePage.isNoop()).isTrue();
        assertThat(onePage.targetPageIds()).containsExactly(3);
        assertThat(onePage.noopCount()).isEqualTo(2);
    }

    @Test
    void aFragmentedModelConsolidatesOntoItsRoomiestPage() {
        List<ModelSlot> slots = List.of(slot(1, "str", 1), slot(2, "str", 2), slot(3, "int", 3));
        Map<Integer, Map<String, Integer>> free = Map.of(1, Map.of("str", 1, "int", 1), 2, Map.of("str", 5, "int", 5),
                3, Map.of("str", 0, "int", 2));

        CompactionPlan plan = CompactionPlanner.plan(1, 7, slots, free);

        assertThat(plan.targetPageIds()).containsExactly(2);
        assertThat(plan.relocations()).containsExactly(new CompactionPlan.Relocation(1, "f1", "str", 1, 2),
                new CompactionPlan.Relocation(3, "f3", "int", 3, 2));
        assertThat(plan.noopCount()).isEqualTo(1);
        assertThat(plan.pagesAfter()).isEqualTo(1);
        assertThat(plan.excessPagesRemoved()).isEqualTo(2);
        assertThat(CompactionPlanner.plan(1, 7, slots, free)).as("deterministic").isEqualTo(plan);
    }

    @Test
    void familyCeilingsSetTheFloorAsAMaximumNotASum() {
        List<ModelSlot> slots = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            slots.add(slot(i, "str", 1 + i % 3));
        }
        for (int i = 30; i < 35; i++) {
            slots.add(slot(i, "int", 1));
        }
        assertThat(CompactionPlanner.theoreticalMinPages(slots)).isEqualTo(2);
    }

    @Test
    void whenNothingFitsItThrowsAndNeverSpendsCapacityBeingReleased() {
        // page 1 holds two str slots that would be moved away; their columns are not free for others
        List<ModelSlot> slots = List.of(slot(1, "str", 1), slot(2, "str", 1), slot(3, "str", 2));
        assertThatThrownBy(() -> CompactionPlanner.plan(1, 7, slots, Map.of(1, Map.of("int", 9), 2, Map.of("int", 9))))
                .isInstanceOf(CompactionCapacityException.class).hasMessageContaining("Nothing was mutated");
    }

    @Test
    void familiesAreRespectedAndOneStarvedFamilyBlocksThePlan() {
        List<ModelSlot> slots = List.of(slot(1, "str", 1), slot(2, "dt", 2));
        assertThatThrownBy(() -> CompactionPlanner.plan(1, 7, slots, Map.of(1, Map.of("str", 5, "int", 5), 2, Map.of("str", 5))))
                .isInstanceOf(CompactionCapacityException.class);
        CompactionPlan plan = CompactionPlanner.plan(1, 7, slots, Map.of(1, Map.of("dt", 1), 2, Map.of("str", 5)));
        assertThat(plan.relocations()).hasSize(1);
    }
}
