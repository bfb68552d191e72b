package io.stardust.liberator;

import io.stardust.engine.slot.PageLayout;

/**
 * A slot row waiting to be swept: its registry id, page and column, and the last {@code entry_id} already nulled
 * ({@code sweep_cursor_id}, 0 when the sweep has not started).
 */
public record TombstonedSlot(long slotAssignmentId, int pageId, String tableName, String slotColumn, long cursor) {

    /** Both identifiers reach SQL text, so both are checked against the page layout (illegal-argument error). */
    public TombstonedSlot {
        PageLayout.requirePageTable(tableName);
        PageLayout.requireColumn(slotColumn);
    }
}
