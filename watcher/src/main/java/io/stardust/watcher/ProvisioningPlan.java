package io.stardust.watcher;

import java.util.List;
import java.util.Map;

/**
 * The planner's decision and the figures {@code poll_started} reports.
 *
 * @param trigger        {@code unsatisfiable_demand}, {@code low_capacity} or {@code none}
 * @param indexedColumns slot columns the new page indexes (empty: a pure headroom page)
 */
public record ProvisioningPlan(String trigger, List<String> indexedColumns, double globalFreeRatio, long usableFree,
                               long usableTotal, double usableFreeRatio, List<String> starvedFamilies,
                               Map<String, Integer> pendingDemand) {
    public static final String UNSATISFIABLE_DEMAND = "unsatisfiable_demand";
    public static final String LOW_CAPACITY = "low_capacity";
    public static final String NONE = "none";

    public ProvisioningPlan {
        indexedColumns = List.copyOf(indexedColumns);
        starvedFamilies = List.copyOf(starvedFamilies);
    }

    public boolean provision() {
        return !NONE.equals(trigger);
    }

    public int pendingWaiters() {
        return pendingDemand.values().stream().mapToInt(Integer::intValue).sum();
    }
}
