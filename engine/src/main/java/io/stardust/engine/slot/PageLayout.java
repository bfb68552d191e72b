package io.stardust.engine.slot;

import io.stardust.DeclaredType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The exact layout of an {@code entry_slots_page_N} table: 25 TEXT string slots, 15 BIGINT, 10
 * DOUBLE and 10 DATETIME, a {@code (tenant_id, slot)} index for each slot named filterable at provisioning,
 * string slots indexed on a 766-character prefix (the InnoDB DYNAMIC 3072-byte key limit).
 */
public final class PageLayout {
    public static final Pattern PAGE_TABLE = Pattern.compile("^entry_slots_page_[1-9][0-9]*$");
    public static final Pattern SLOT_COLUMN = Pattern.compile("^i_(str|int|num|dt)_(0[1-9]|1[0-9]|2[0-9])$");
    public static final int STRING_PREFIX = 766;
    public static final int SLOTS_PER_PAGE = 60;

    /** Family → capacity, in declaration order (str, int, num, dt). */
    public static final Map<String, Integer> CAPACITY;
    private static final Map<String, String> SQL_TYPE = Map.of("str", "TEXT", "int", "BIGINT", "num", "DOUBLE", "dt", "DATETIME");
    /** Every slot column, in declaration order. */
    public static final List<String> COLUMNS;

    static {
        Map<String, Integer> cap = new LinkedHashMap<>();
        cap.put("str", 25);
        cap.put("int", 15);
        cap.put("num", 10);
        cap.put("dt", 10);
        CAPACITY = java.util.Collections.unmodifiableMap(cap);
        List<String> cols = new ArrayList<>();
        cap.forEach((family, n) -> {
            for (int i = 1; i <= n; i++) {
                cols.add(column(family, i));
            }
        });
        COLUMNS = List.copyOf(cols);
    }

    private PageLayout() {
    }

    public static String column(String family, int index) {
        return String.format("i_%s_%02d", family, index);
    }

    public static String tableName(int pageId) {
        return "entry_slots_page_" + pageId;
    }

    /** The family of a slot column, or null for anything that is not one of the 60 layout columns. */
    public static String familyOf(String column) {
        if (column == null || !SLOT_COLUMN.matcher(column).matches()) {
            return null;
        }
        String family = column.substring(2, column.lastIndexOf('_'));
        int index = Integer.parseInt(column.substring(column.lastIndexOf('_') + 1));
        return index <= CAPACITY.get(family) ? family : null;
    }

    public static boolean isColumn(String column) {
        return familyOf(column) != null;
    }

    public static DeclaredType typeOfColumn(String column) {
        return DeclaredType.ofFamily(familyOf(column));
    }

    /** Guards every identifier that reaches SQL text: only registry-owned page names pass. */
    public static String requirePageTable(String name) {
        if (name == null || !PAGE_TABLE.matcher(name).matches()) {
            throw new IllegalArgumentException("not a slot page table name: " + name);
        }
        return name;
    }

    public static String requireColumn(String column) {
        if (!isColumn(column)) {
            throw new IllegalArgumentException("not a slot column: " + column);
        }
        return column;
    }

    /** CREATE TABLE IF NOT EXISTS for a page with indexes on {@code filterable} columns. */
    static String createTableDdl(String table, Collection<String> filterable) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(requirePageTable(table))
                .append(" (entry_id BIGINT NOT NULL, tenant_id BIGINT NOT NULL");
        for (String col : COLUMNS) {
            ddl.append(", ").append(col).append(' ').append(SQL_TYPE.get(familyOf(col))).append(" NULL DEFAULT NULL");
        }
        ddl.append(", PRIMARY KEY (entry_id), KEY ix_").append(table).append("_tenant (tenant_id)");
        for (String col : filterable) {
            ddl.append(", KEY ").append(indexName(table, col)).append(" (tenant_id, ").append(col)
                    .append("str".equals(familyOf(col)) ? "(" + STRING_PREFIX + ")" : "").append(')');
        }
        ddl.append(", CONSTRAINT fk_").append(table).append("_entry FOREIGN KEY (entry_id) REFERENCES entry_data (id) ON DELETE CASCADE")
                .append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci ROW_FORMAT=DYNAMIC");
        return ddl.toString();
    }

    static String indexName(String table, String column) {
        return "ix_" + table + "_" + column;
    }
}
