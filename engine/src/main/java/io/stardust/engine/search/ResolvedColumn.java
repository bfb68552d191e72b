package io.stardust.engine.search;

import io.stardust.engine.slot.PageLayout;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a leaf's field lives once pre-flight has resolved it: the page table, the slot column on it, the
 * field's declared type ({@code string}, {@code int}, {@code numeric}, {@code datetime}) and the page's layout
 * version (which decides how a string slot is searched, see {@code PageLayout}).
 *
 * <p>Table and column are spliced into SQL text, so they are validated here against the only shapes the engine
 * ever creates, and the column's family must match the declared type. Anything else is a programming error.
 */
public record ResolvedColumn(String pageTable, String slotColumn, String declaredType, int pageLayout) {
    private static final Pattern PAGE_TABLE = Pattern.compile("^entry_slots_page_[1-9][0-9]*$");
    private static final Pattern SLOT_COLUMN = Pattern.compile("^i_(str|int|num|dt)_[0-9]{2}$");
    private static final Map<String, String> FAMILY_BY_TYPE =
            Map.of("string", "str", "int", "int", "numeric", "num", "datetime", "dt");

    public ResolvedColumn {
        Objects.requireNonNull(pageTable, "pageTable");
        Objects.requireNonNull(slotColumn, "slotColumn");
        Objects.requireNonNull(declaredType, "declaredType");
        if (!PAGE_TABLE.matcher(pageTable).matches()) {
            throw new IllegalArgumentException("not a page table name: " + pageTable);
        }
        var column = SLOT_COLUMN.matcher(slotColumn);
        if (!column.matches()) {
            throw new IllegalArgumentException("not a slot column name: " + slotColumn);
        }
        String family = FAMILY_BY_TYPE.get(declaredType);
        if (family == null) {
            throw new IllegalArgumentException("unknown declared type: " + declaredType);
        }
        if (!family.equals(column.group(1))) {
            throw new IllegalArgumentException("a " + declaredType + " field cannot live in slot " + slotColumn);
        }
        PageLayout.requireLayout(pageLayout);
    }

    /** A column on a page of upstream's layout. */
    public ResolvedColumn(String pageTable, String slotColumn, String declaredType) {
        this(pageTable, slotColumn, declaredType, PageLayout.V1);
    }

    /** A string slot on a v2 page: searched through its weight-string key column. */
    public boolean hasKey() {
        return pageLayout == PageLayout.V2 && "string".equals(declaredType);
    }

    public boolean isDatetime() {
        return "datetime".equals(declaredType);
    }
}
