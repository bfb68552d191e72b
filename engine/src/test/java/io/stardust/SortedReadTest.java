package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.SortSpec.Direction;
import io.stardust.filter.FilterNode;
import io.stardust.filter.Filters;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sorted reads against an oracle: the same entries sorted in Java (nulls first ascending, last descending, ties by
 * id in the sort's direction) must come back page by page, for every sort key, direction, page size, with and
 * without a filter, with the values chosen so that there are many ties and many nulls.
 */
@ExtendWith(MySqlExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SortedReadTest {
    private static final long SEED = Long.getLong("stardust.sort.seed", 20261130L);
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;
    /** id → (field → value, null when absent); "$created_at" holds the creation time as text. */
    private final Map<Long, Map<String, Object>> rows = new LinkedHashMap<>();

    SortedReadTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void seed() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "item", new FieldSpec("word", DeclaredType.STRING, true),
                new FieldSpec("qty", DeclaredType.INT, true), new FieldSpec("due", DeclaredType.DATETIME, true),
                new FieldSpec("note", DeclaredType.STRING, false));
        Random r = new Random(SEED);
        for (int i = 0; i < 60; i++) {
            Map<String, Object> f = new HashMap<>();
            if (r.nextInt(4) > 0) {
                f.put("word", String.valueOf((char) ('a' + r.nextInt(5))));
            }
            if (r.nextInt(4) > 0) {
                f.put("qty", (long) r.nextInt(6) - 2);
            }
            if (r.nextInt(4) > 0) {
                f.put("due", "2024-01-0" + (1 + r.nextInt(4)) + " 00:00:00");
            }
            long id = fx.write(1, m, f);
            String created = "2025-06-0" + (1 + r.nextInt(3)) + " 12:00:00";
            fx.exec("UPDATE entry_data SET created_at = '" + created + "' WHERE id = " + id);
            f.put("$created_at", created);
            rows.put(id, f);
        }
        // another tenant's rows with the same values never appear
        ModelDefinition other = fx.modelWithSlots(2, "item", new FieldSpec("word", DeclaredType.STRING, true));
        fx.write(2, other, Map.of("word", "a"));
        // a deleted entry never appears
        long gone = fx.write(1, m, Map.of("word", "a", "qty", 0));
        fx.engine.deleteEntry(1, gone);
    }

    @AfterAll
    void close() {
        fx.close();
    }

    @Test
    void everySortKeyDirectionAndPageSizeMatchesTheOracle() {
        List<FilterNode> filters = new ArrayList<>();
        filters.add(null);
        filters.add(Filters.leaf("qty", "gte", 0));
        Map<FilterNode, Predicate<Map<String, Object>>> matches = new HashMap<>();
        matches.put(filters.get(1), f -> f.get("qty") != null && (Long) f.get("qty") >= 0);
        for (String key : List.of(SortSpec.ID, SortSpec.CREATED_AT, "word", "qty", "due")) {
            for (Direction dir : Direction.values()) {
                for (FilterNode filter : filters) {
                    for (int pageSize : List.of(1, 4, 100)) {
                        SortSpec sort = new SortSpec(key, dir);
                        List<Long> expected = oracle(sort, filter == null ? f -> true : matches.get(filter));
                        List<Long> seen = readAll(EntryQuery.all(1, m.modelId()).withSort(sort).withFilter(filter).withPageSize(pageSize));
                        assertThat(seen).as(sort + " filter " + filter + " page " + pageSize + " seed " + SEED).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aCursorContinuesOnlyTheSortItWasIssuedFor() {
        EntryQuery byWord = EntryQuery.all(1, m.modelId()).withSort(SortSpec.byField("word", Direction.DESC)).withPageSize(2);
        String cursor = fx.engine.read(byWord).nextCursor();
        for (SortSpec other : List.of(SortSpec.byField("word", Direction.ASC), SortSpec.byField("qty", Direction.DESC), SortSpec.byId())) {
            assertThatThrownBy(() -> fx.engine.read(byWord.withSort(other).withCursor(cursor))).as(other.toString())
                    .isInstanceOf(InvalidCursorException.class).hasMessageContaining("another model, filter or sort");
        }
    }

    @Test
    void sortingOnAFieldWithoutAUsableIndexIsATypedError() {
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withSort(SortSpec.byField("note", Direction.ASC))))
                .isInstanceOf(FieldNotSortableException.class).hasMessageContaining("'note'").hasMessageContaining("not filterable");
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withSort(SortSpec.byField("nope", Direction.ASC))))
                .isInstanceOf(UnknownFieldException.class).hasMessageContaining("'nope'");
        assertThat(SortSpec.parse("qty:desc")).isEqualTo(SortSpec.byField("qty", Direction.DESC));
        assertThat(SortSpec.parse("$created_at")).isEqualTo(SortSpec.byCreatedAt(Direction.ASC));
        assertThatThrownBy(() -> SortSpec.parse("qty:down")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY:desc");
    }

    private List<Long> readAll(EntryQuery q) {
        List<Long> ids = new ArrayList<>();
        while (true) {
            EntryPage page = fx.engine.read(q);
            page.rows().forEach(e -> ids.add(e.id()));
            if (page.nextCursor() == null) {
                return ids;
            }
            q = q.withCursor(page.nextCursor());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<Long> oracle(SortSpec sort, Predicate<Map<String, Object>> filter) {
        Function<Long, Comparable> value = id -> sort.key().equals(SortSpec.ID) ? id : (Comparable) rows.get(id).get(sort.key());
        Comparator<Long> byValue = Comparator.comparing(value, Comparator.nullsFirst(Comparator.naturalOrder()));
        Comparator<Long> order = byValue.thenComparing(Comparator.naturalOrder());
        if (sort.descending()) {
            order = order.reversed();
        }
        return rows.keySet().stream().filter(id -> filter.test(rows.get(id))).sorted(order).toList();
    }
}
