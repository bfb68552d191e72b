package io.stardust.watcher;

import io.stardust.engine.slot.PageLayout;
import java.util.Map;

/**
 * How many pages a model's live slots need at least: the <em>maximum</em> over families of
 * {@code ceil(count / familyCapacity)}, never a sum — one page holds every family at once. Capacities come from
 * the page layout.
 */
public final class SpreadMath {
    private SpreadMath() {
    }

    /** {@code familyCounts}: live slots per family; unknown families are skipped, never fatal. */
    public static int theoreticalMinPages(Map<String, Integer> familyCounts) {
        int min = 0;
        for (Map.Entry<String, Integer> e : familyCounts.entrySet()) {
            Integer capacity = PageLayout.CAPACITY.get(e.getKey());
            if (capacity == null || e.getValue() <= 0) {
                continue;
            }
            min = Math.max(min, (e.getValue() + capacity - 1) / capacity);
        }
        return min;
    }

    public static int excessPages(int pagesOccupied, int theoreticalMinPages) {
        return pagesOccupied - theoreticalMinPages;
    }
}
