package io.stardust;

import java.util.List;

/**
 * What {@code compactModel} does (or would do, on a dry run): move the model's live filterable slots from
 * {@code pagesBefore} pages onto {@code targetPageIds}, one relocation per slot not already on a target page.
 *
 * @param theoreticalMinPages the fewest pages the model's slots could fit on (per family, count over capacity)
 * @param noopCount           slots already on a target page, left where they are
 */
public record CompactionPlan(long tenantId, int modelId, int pagesBefore, int theoreticalMinPages,
                             List<Integer> targetPageIds, List<Relocation> relocations, int noopCount) {

    /** One slot to move: the field's values are copied into a new slot of {@code slotType} on {@code toPageId}. */
    public record Relocation(long fieldId, String fieldName, String slotType, int fromPageId, int toPageId) {
    }

    public CompactionPlan {
        targetPageIds = List.copyOf(targetPageIds);
        relocations = List.copyOf(relocations);
    }

    public int pagesAfter() {
        return targetPageIds.size();
    }

    public int excessPagesRemoved() {
        return pagesBefore - pagesAfter();
    }

    public boolean isNoop() {
        return relocations.isEmpty();
    }
}
