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
 * DOUBLE and 10 DATETIME, a {@code (tenant_id, slot)} index for each slot named filterable at provisioning.
 *
 * <p>Two layouts, recorded per page in {@code stardust_pages.layout_version}; a page keeps the layout it was created
 * with. {@link #V1} (upstream's): string slots indexed on a 766-character prefix of the TEXT (the InnoDB DYNAMIC
 * 3072-byte key limit). Such an index is neither exact nor covering, so MySQL re-reads and sorts every row whose
 * value matches before it can return the first page in entry-id order. {@link #V2}: each string slot also has a
 * virtual column {@code k_str_NN} holding the first {@link #KEY_BYTES} bytes of the value's collation weight string
 * ({@code WEIGHT_STRING}), and the index is {@code (tenant_id, k_str_NN)}. Two values are equal under the column's
 * collation exactly when their weight strings are equal, and weight strings compare bytewise in collation order, so
 * the key is a correct pre-filter for equality and ranges, an exact one (and the index a covering one, already in
 * entry-id order for one key) for every value whose weight string is shorter than {@link #KEY_BYTES}; the TEXT
 * value is re-checked only for longer ones.
 */
public final class PageLayout {
    public static final Pattern PAGE_TABLE = Pattern.compile("^entry_slots_page_[1-9][0-9]*$");
    public static final Pattern SLOT_COLUMN = Pattern.compile("^i_(str|int|num|dt)_(0[1-9]|1[0-9]|2[0-9])$");
    public static final int STRING_PREFIX = 766;
    public static final int SLOTS_PER_PAGE = 60;
    public static final int V1 = 1;
    public static final int V2 = 2;
    /** The layout new pages get. */
    public static final int CURRENT = V2;
    /**
     * Bytes of weight string in a v2 key: 64 characters of Latin text (two bytes per primary weight), which keeps
     * identifiers, codes, statuses and names exact in the index while the key stays small (measured in
     * docs/search-benchmark.md).
     */
    public static final int KEY_BYTES = 128;

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

    /** The v2 key column of a string slot: {@code i_str_07} → {@code k_str_07}. */
    public static String keyColumn(String stringSlot) {
        if (!"str".equals(familyOf(stringSlot))) {
            throw new IllegalArgumentException("not a string slot column: " + stringSlot);
        }
        return "k" + stringSlot.substring(1);
    }

    /** The slot a v2 key column belongs to, or the name itself for anything else. */
    static String slotOfKeyColumn(String column) {
        return column.startsWith("k_str_") ? "i" + column.substring(1) : column;
    }

    public static int requireLayout(int layoutVersion) {
        if (layoutVersion != V1 && layoutVersion != V2) {
            throw new IllegalArgumentException("unknown page layout version " + layoutVersion + "; expected 1 or 2");
        }
        return layoutVersion;
    }

    /** CREATE TABLE IF NOT EXISTS for a page of the given layout with indexes on {@code filterable} columns. */
    static String createTableDdl(String table, Collection<String> filterable, int layoutVersion) {
        requireLayout(layoutVersion);
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(requirePageTable(table))
                .append(" (entry_id BIGINT NOT NULL, tenant_id BIGINT NOT NULL");
        for (String col : COLUMNS) {
            ddl.append(", ").append(col).append(' ').append(SQL_TYPE.get(familyOf(col))).append(" NULL DEFAULT NULL");
        }
        if (layoutVersion == V2) {
            for (String col : filterable) {
                if ("str".equals(familyOf(col))) {
                    ddl.append(", ").append(keyColumn(col)).append(" VARBINARY(").append(KEY_BYTES)
                            .append(") GENERATED ALWAYS AS (LEFT(WEIGHT_STRING(").append(col).append("), ")
                            .append(KEY_BYTES).append(")) STORED");
                }
            }
        }
        ddl.append(", PRIMARY KEY (entry_id), KEY ix_").append(table).append("_tenant (tenant_id)");
        for (String col : filterable) {
            boolean string = "str".equals(familyOf(col));
            ddl.append(", KEY ").append(indexName(table, col)).append(" (tenant_id, ");
            if (string && layoutVersion == V2) {
                ddl.append(keyColumn(col));
            } else {
                ddl.append(col).append(string ? "(" + STRING_PREFIX + ")" : "");
            }
            ddl.append(')');
        }
        ddl.append(", CONSTRAINT fk_").append(table).append("_entry FOREIGN KEY (entry_id) REFERENCES entry_data (id) ON DELETE CASCADE")
                .append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci ROW_FORMAT=DYNAMIC");
        return ddl.toString();
    }

    static String indexName(String table, String column) {
        return "ix_" + table + "_" + column;
    }
}
