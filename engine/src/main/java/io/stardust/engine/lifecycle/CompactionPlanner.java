package io.stardust.engine.lifecycle;

import io.stardust.CompactionCapacityException;
import io.stardust.CompactionPlan;
import io.stardust.engine.slot.PageLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans a model's compaction, purely: which of the pages it already occupies to keep, and which slots to move onto
 * them. Tries the smallest number of target pages first (never below the theoretical minimum), ranking candidate
 * pages by the model's slots on them plus their free indexed capacity; a slot already on a target page stays; every
 * other slot takes a free slot of its family on a target page (lowest page id first). Capacity the plan releases
 * (slots it moves away) is never counted as free, so nothing is double-spent. Deterministic.
 */
public final class CompactionPlanner {
    private CompactionPlanner() {
    }

    /** One live filterable slot of the model, in page then slot order. */
    public record ModelSlot(long fieldId, String fieldName, String family, int pageId, String slotColumn) {
    }

    /**
     * @param freeIndexed free indexed slots per page per family (pages of the model only are used)
     * @throws CompactionCapacityException when no target set smaller than the current one can hold every slot
     */
    public static CompactionPlan plan(long tenantId, int modelId, List<ModelSlot> slots,
                                      Map<Integer, Map<String, Integer>> freeIndexed) {
        List<Integer> occupied = new ArrayList<>(new TreeSet<>(slots.stream().map(ModelSlot::pageId).toList()));
        int minPages = theoreticalMinPages(slots);
        int before = occupied.size();
        if (slots.isEmpty() || before <= minPages) {
            return new CompactionPlan(tenantId, modelId, before, minPages, occupied, List.of(), slots.size());
        }
        Map<Integer, Integer> own = new HashMap<>();
        slots.forEach(s -> own.merge(s.pageId(), 1, Integer::sum));
        List<Integer> ranked = new ArrayList<>(occupied);
        ranked.sort(Comparator.comparingInt((Integer p) -> own.get(p) + totalFree(freeIndexed.get(p))).reversed()
                .thenComparingInt(p -> p));
        for (int size = Math.max(1, minPages); size < before; size++) {
            List<Integer> targets = new ArrayList<>(new TreeSet<>(ranked.subList(0, size)));
            Map<Integer, Map<String, Integer>> capacity = new TreeMap<>();
            targets.forEach(p -> capacity.put(p, new HashMap<>(freeIndexed.getOrDefault(p, Map.of()))));
            List<CompactionPlan.Relocation> moves = new ArrayList<>();
            boolean fits = true;
            for (ModelSlot s : slots) {
                if (targets.contains(s.pageId())) {
                    continue;
                }
                Integer to = null;
                for (int p : targets) {
                    Map<String, Integer> free = capacity.get(p);
                    if (free.getOrDefault(s.family(), 0) > 0) {
                        free.merge(s.family(), -1, Integer::sum);
                        to = p;
                        break;
                    }
                }
                if (to == null) {
                    fits = false;
                    break;
                }
                moves.add(new CompactionPlan.Relocation(s.fieldId(), s.fieldName(), s.family(), s.pageId(), to));
            }
            if (fits) {
                return new CompactionPlan(tenantId, modelId, before, minPages, targets, moves, slots.size() - moves.size());
            }
        }
        throw new CompactionCapacityException("model " + modelId + " cannot be compacted below " + before
                + " pages: its pages have too few free indexed slots. Nothing was mutated; let the Liberator reclaim"
                + " tombstoned slots or provision pages, then run it again.");
    }

    /** The fewest pages the slots could occupy: the largest per-family ceiling (a max, never a sum). */
    public static int theoreticalMinPages(List<ModelSlot> slots) {
        Map<String, Integer> perFamily = new HashMap<>();
        slots.forEach(s -> perFamily.merge(s.family(), 1, Integer::sum));
        int min = 0;
        for (Map.Entry<String, Integer> e : perFamily.entrySet()) {
            int capacity = PageLayout.CAPACITY.get(e.getKey());
            min = Math.max(min, (e.getValue() + capacity - 1) / capacity);
        }
        return min;
    }

    private static int totalFree(Map<String, Integer> free) {
        return free == null ? 0 : free.values().stream().mapToInt(Integer::intValue).sum();
    }
}
