package io.stardust.watcher;

import io.stardust.engine.slot.PageLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slot capacity at one instant: per family, and the number of pages holding slot rows.
 *
 * @param families every layout family (zero when no page has it), in layout order
 */
public record CapacitySnapshot(Map<String, FamilyCapacity> families, int pagesInspected) {

    public CapacitySnapshot {
        Map<String, FamilyCapacity> all = new LinkedHashMap<>();
        for (String family : PageLayout.CAPACITY.keySet()) {
            all.put(family, families.getOrDefault(family, FamilyCapacity.EMPTY));
        }
        families = java.util.Collections.unmodifiableMap(all);
    }

    public FamilyCapacity family(String family) {
        return families.getOrDefault(family, FamilyCapacity.EMPTY);
    }

    public long totalSlots() {
        return families.values().stream().mapToLong(FamilyCapacity::total).sum();
    }

    public long freeSlots() {
        return families.values().stream().mapToLong(FamilyCapacity::free).sum();
    }

    /** Free over total, 0.0 without any slot — so a fresh database is below every threshold. */
    public double globalFreeRatio() {
        long total = totalSlots();
        return total == 0 ? 0.0 : (double) freeSlots() / total;
    }
}
