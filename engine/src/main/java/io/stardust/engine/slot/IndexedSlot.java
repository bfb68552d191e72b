package io.stardust.engine.slot;

/**
 * The one definition of "is this slot column indexed?": the column takes part in any index of its
 * page table, itself (layout v1) or through its key column (a string slot on a v2 page, see {@link PageLayout}).
 * Reservation, the Watcher's capacity report and compaction all use this, so they never disagree.
 */
public final class IndexedSlot {
    private IndexedSlot() {
    }

    /** SQL predicate over a slot-assignment alias and a page alias. Aliases are code constants, never input. */
    public static String predicate(String slotAlias, String pageAlias) {
        return "EXISTS (SELECT 1 FROM information_schema.STATISTICS st WHERE st.TABLE_SCHEMA = DATABASE()"
                + " AND st.TABLE_NAME = " + pageAlias + ".table_name AND st.COLUMN_NAME IN (" + slotAlias + ".slot_column,"
                + " CONCAT('k', SUBSTRING(" + slotAlias + ".slot_column, 2))))";
    }
}
