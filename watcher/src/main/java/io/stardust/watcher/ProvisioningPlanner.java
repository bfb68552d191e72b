package io.stardust.watcher;

import io.stardust.engine.slot.PageLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether the Watcher provisions a page and which columns it indexes. Pure.
 * <ul>
 *   <li>A demanded family (filterable fields waiting for a slot) with no indexed free slot is <em>starved</em>:
 *       trigger {@code unsatisfiable_demand}, whatever the ratio (so threshold 0 does not disable it).</li>
 *   <li>Otherwise the global free ratio strictly below the threshold: {@code low_capacity}.</li>
 *   <li>The usable ratio (indexed free over indexed total of the demanded families) is reported, never a trigger:
 *       as a trigger one waiter could cascade page after page.</li>
 *   <li>Indexed columns: for each demanded family in alphabetical order, the first
 *       {@code clamp(waiters − indexedFree, 1, familyCapacity)} columns of the family.</li>
 * </ul>
 */
public final class ProvisioningPlanner {
    private ProvisioningPlanner() {
    }

    public static ProvisioningPlan plan(CapacitySnapshot capacity, Map<String, Integer> demand, double threshold) {
        Map<String, Integer> sorted = new TreeMap<>();
        demand.forEach((family, waiters) -> {
            if (waiters > 0) {
                sorted.put(family, waiters);
            }
        });
        long usableFree = 0;
        long usableTotal = 0;
        List<String> starved = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (Map.Entry<String, Integer> d : sorted.entrySet()) {
            String family = d.getKey();
            FamilyCapacity f = capacity.family(family);
            usableFree += f.indexedFree();
            usableTotal += f.indexedTotal();
            if (f.indexedFree() == 0) {
                starved.add(family);
            }
            int familyCapacity = PageLayout.CAPACITY.getOrDefault(family, 0);
            long wanted = Math.max(1, Math.min(d.getValue() - f.indexedFree(), familyCapacity));
            for (int i = 1; i <= wanted && i <= familyCapacity; i++) {
                columns.add(PageLayout.column(family, i));
            }
        }
        double global = capacity.globalFreeRatio();
        double usableRatio;
        if (sorted.isEmpty()) {
            usableFree = capacity.freeSlots();
            usableTotal = capacity.totalSlots();
            usableRatio = global;
        } else {
            usableRatio = usableTotal == 0 ? 0.0 : (double) usableFree / usableTotal;
        }
        String trigger = !starved.isEmpty() ? ProvisioningPlan.UNSATISFIABLE_DEMAND
                : global < threshold ? ProvisioningPlan.LOW_CAPACITY : ProvisioningPlan.NONE;
        return new ProvisioningPlan(trigger, columns, global, usableFree, usableTotal, usableRatio, starved, sorted);
    }
}
