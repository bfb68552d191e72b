package io.stardust;

import static io.stardust.filter.Filters.and;
import static io.stardust.filter.Filters.leaf;
import static io.stardust.filter.Filters.not;
import static io.stardust.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.filter.LeafNode;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Filtered reads and searches against real rows. */
@ExtendWith(MySqlExtension.class)
class SearchIntegrationTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;
    private ModelDefinition theirs;

    SearchIntegrationTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        // One page for both tenants, so their values really sit side by side in the same table.
        fx.engine.provisionPage(List.of("i_str_01", "i_str_02", "i_int_01", "i_int_02", "i_num_01", "i_dt_01"));
        m = fx.engine.defineModel(1, "ticket", List.of(
                new FieldSpec("status", DeclaredType.STRING, true),
                new FieldSpec("priority", DeclaredType.INT, true),
                new FieldSpec("score", DeclaredType.NUMERIC, true),
                new FieldSpec("due", DeclaredType.DATETIME, true),
                new FieldSpec("note", DeclaredType.STRING, false)));
        fx.engine.ensureSlots(1, m.modelId());
        theirs = fx.engine.defineModel(2, "ticket", List.of(new FieldSpec("status", DeclaredType.STRING, true),
                new FieldSpec("priority", DeclaredType.INT, true)));
        fx.engine.ensureSlots(2, theirs.modelId());
        assertThat(fx.count("SELECT COUNT(DISTINCT page_id) FROM stardust_slot_assignments WHERE field_id IS NOT NULL"))
                .isEqualTo(1);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private long write(Map<String, ?> fields) {
        return fx.engine.write(EntryPayload.of(1, m.modelId(), fields)).entryId();
    }

    private List<Long> ids(FilterNode filter) {
        List<Long> out = new ArrayList<>();
        EntryQuery q = EntryQuery.all(1, m.modelId()).withFilter(filter).withPageSize(3);
        while (true) {
            EntryPage page = fx.engine.read(q);
            page.rows().forEach(r -> out.add(r.id()));
            if (page.nextCursor() == null) {
                return out;
            }
            q = q.withCursor(page.nextCursor());
        }
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void orNotAndNestedCombinationsAgainstRealRows() {
        long a = write(fields("status", "open", "priority", 1));
        long b = write(fields("status", "closed", "priority", 2));
        long c = write(fields("status", "open", "priority", 3));
        long d = write(fields("status", "pending")); // priority NULL
        long e = write(fields("note", "no slot values at all")); // no page row
        assertThat(ids(or(leaf("status", "eq", "closed"), leaf("priority", "gte", 3)))).containsExactly(b, c);
        assertThat(ids(not(leaf("status", "eq", "open")))).containsExactly(b, d, e);
        assertThat(ids(and(or(leaf("status", "eq", "open"), leaf("status", "eq", "pending")),
                not(leaf("priority", "eq", 1))))).containsExactly(c, d);
        // Three-valued logic: neq never matches NULL or a missing row; not(eq) matches both.
        assertThat(ids(leaf("priority", "neq", 1))).containsExactly(b, c);
        assertThat(ids(not(leaf("priority", "eq", 1)))).containsExactly(b, c, d, e);
        assertThat(ids(leaf("priority", "is_null", null))).containsExactly(d);
        assertThat(ids(not(leaf("priority", "is_not_null", null)))).containsExactly(d, e);
        assertThat(ids(leaf("priority", "nin", List.of(1, 2)))).containsExactly(c);
        assertThat(ids(leaf("priority", "between", List.of(2, 3)))).containsExactly(b, c);
        assertThat(ids(leaf("status", "in", List.of("OPEN", "Pending")))).as("collation is case-insensitive")
                .containsExactly(a, c, d);
        assertThat(ids(null)).containsExactly(a, b, c, d, e);
    }

    @Test
    void identicalValuesInAnotherTenantNeverMatch() {
        long mine = write(fields("status", "shared", "priority", 7));
        for (int i = 0; i < 5; i++) {
            fx.engine.write(EntryPayload.of(2, theirs.modelId(), fields("status", "shared", "priority", 7)));
        }
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE 'shared' IN (i_str_01, i_str_02)"))
                .as("the values really collide on the shared page").isEqualTo(6);
        for (FilterNode f : List.of(leaf("status", "eq", "shared"),
                and(leaf("status", "eq", "shared"), leaf("priority", "eq", 7)),
                or(leaf("status", "eq", "shared"), leaf("priority", "eq", 7)),
                not(leaf("status", "eq", "other")),
                leaf("status", "is_not_null", null))) {
            assertThat(ids(f)).as(f.toString()).containsExactly(mine);
        }
    }

    @Test
    void filteredPaginationProjectsSelectFieldsInCallerOrder() {
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long id = write(fields("status", i % 2 == 0 ? "even" : "odd", "priority", i, "note", "n" + i));
            if (i % 2 == 0) {
                expected.add(id);
            }
        }
        EntryQuery q = EntryQuery.all(1, m.modelId()).withFilter(leaf("status", "eq", "even"))
                .withSelect(List.of("note", "priority")).withPageSize(5);
        List<Long> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            EntryPage page = fx.engine.read(q);
            pages++;
            for (Entry row : page.rows()) {
                seen.add(row.id());
                assertThat(row.fields().fieldNames()).toIterable().containsExactly("note", "priority");
                assertThat(row.fields().get("priority").isIntegralNumber()).isTrue();
            }
            if (page.nextCursor() == null) {
                break;
            }
            assertThat(page.rows()).hasSize(5);
            q = q.withCursor(page.nextCursor());
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void datetimeFilterValuesAreNormalisedToUtc_Q18() {
        long id = write(fields("due", "2024-03-01T12:00:00+02:00"));
        write(fields("due", "2024-03-01T10:00:01Z"));
        assertThat(ids(leaf("due", "eq", "2024-03-01T10:00:00Z"))).containsExactly(id);
        assertThat(ids(leaf("due", "eq", "2024-03-01T05:00:00-05:00"))).containsExactly(id);
        assertThat(ids(leaf("due", "lt", "2024-03-01T11:00:01+01:00"))).containsExactly(id);
        // Datetimes have whole-second precision: a fraction is truncated in filters as it is on writes.
        assertThat(ids(leaf("due", "lt", "2024-03-01T11:00:00.999+01:00"))).isEmpty();
        assertThat(ids(leaf("due", "eq", "2024-03-01T10:00:00.999Z"))).containsExactly(id);
        Entry row = fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(leaf("due", "eq", "2024-03-01T10:00:00Z")))
                .rows().get(0);
        assertThat(row.fields().get("due").asText()).isEqualTo("2024-03-01 10:00:00");
    }

    @Test
    void prefixEscapesLikeMetacharactersAndNumbersCompareNumerically() {
        long sale = write(fields("status", "50%_off\\now", "score", 0.5));
        write(fields("status", "50xxoff", "score", -0.0));
        long plain = write(fields("status", "50", "score", 10));
        assertThat(ids(leaf("status", "prefix", "50%_"))).containsExactly(sale);
        assertThat(ids(leaf("status", "prefix", "50%_off\\"))).containsExactly(sale);
        assertThat(ids(leaf("status", "prefix", "5"))).hasSize(3);
        assertThat(ids(leaf("score", "gt", 0))).containsExactly(sale, plain);
        assertThat(ids(leaf("score", "gte", 10.0))).containsExactly(plain);
        assertThat(ids(leaf("score", "eq", 0.0))).hasSize(1); // -0.0 = 0.0
    }

    @Test
    void longStringsSharingTheIndexedPrefixFilterExactly() {
        String common = "x".repeat(800);
        long one = write(fields("status", common + "1"));
        long two = write(fields("status", common + "2"));
        assertThat(ids(leaf("status", "eq", common + "2"))).containsExactly(two);
        assertThat(ids(leaf("status", "lt", common + "2"))).containsExactly(one);
        assertThat(ids(leaf("status", "prefix", common))).containsExactly(one, two);
    }

    @Test
    void deletedEntriesNeverMatch() {
        long kept = write(fields("status", "x"));
        long gone = write(fields("status", "x"));
        fx.engine.deleteEntry(1, gone);
        assertThat(ids(leaf("status", "eq", "x"))).containsExactly(kept);
        assertThat(ids(not(leaf("status", "eq", "y")))).containsExactly(kept);
    }

    @Test
    void wireFiltersRunEndToEndAndSearchRequestIsLogged() {
        long a = write(fields("status", "open", "priority", 5));
        write(fields("status", "open", "priority", 1));
        FilterNode f = new JsonFilterDecoder().decode("{\"version\":\"1\",\"filter\":{\"op\":\"and\",\"args\":["
                + "{\"op\":\"eq\",\"field\":{\"model\":\"ticket\",\"name\":\"status\"},\"value\":\"open\"},"
                + "{\"op\":\"gt\",\"field\":{\"model\":\"ticket\",\"name\":\"priority\"},\"value\":2}]}}");
        try (EventCapture events = EventCapture.open()) {
            EntryPage page = fx.engine.search(new SearchRequest(EntryQuery.all(1, m.modelId()).withFilter(f), "corr-1"));
            assertThat(page.rows()).extracting(Entry::id).containsExactly(a);
            EventCapture.Event ev = events.named("search_request").get(0);
            assertThat(ev.fields()).containsEntry("correlation_id", "corr-1").containsEntry("tenant_id", 1L)
                    .containsEntry("model_id", m.modelId()).containsEntry("route", "search")
                    .containsEntry("rows_returned", 1).containsEntry("has_more", false)
                    .containsEntry("tree_node_count", 3).containsEntry("compile_strategy", "joins");
            assertThat(ev.get("latency_ms")).isInstanceOf(Long.class);

            fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(or(leaf("status", "eq", "open"),
                    leaf("priority", "eq", 1))).withPageSize(1));
            EventCapture.Event second = events.named("search_request").get(1);
            assertThat(second.fields()).containsEntry("compile_strategy", "exists").containsEntry("has_more", true)
                    .containsEntry("tree_node_count", 3);
            assertThat((String) second.get("correlation_id")).hasSize(36);
        }
    }

    @Test
    void typedLeavesAcceptJavaValues() {
        long id = write(fields("priority", 3, "due", "2030-01-01T00:00:00Z"));
        assertThat(ids(LeafNode.local("due", "gte", java.time.Instant.parse("2029-12-31T23:00:00Z")))).containsExactly(id);
        assertThat(ids(LeafNode.local("priority", "in", new Object[] {1, 3L}))).containsExactly(id);
    }
}
