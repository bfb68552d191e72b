package io.stardust.engine.search;

import static io.stardust.filter.Filters.and;
import static io.stardust.filter.Filters.leaf;
import static io.stardust.filter.Filters.not;
import static io.stardust.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.EntryQuery;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.json.Json;
import io.stardust.engine.read.EntryReader;
import io.stardust.engine.read.SchemaSnapshot;
import io.stardust.engine.read.SnapshotCache;
import io.stardust.engine.slot.PageLayout;
import io.stardust.filter.FilterNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The probe MySQL actually plans: for an accepted filter on a ready slot, the join shape reads the
 * page table through its {@code (tenant_id, slot)} index with {@code ref} or {@code range} access, never a full
 * scan; the EXISTS shape never scans a table in full either. Plans are taken with {@code EXPLAIN FORMAT=JSON} of
 * exactly the text and bindings the driver runs, over a few thousand analysed rows so the optimizer has real
 * statistics to go on.
 */
@ExtendWith(MySqlExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchExplainTest {
    private static final int ENTRIES = 6000;
    private static final String PAGE = "entry_slots_page_1";

    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;
    private SchemaSnapshot snapshot;

    SearchExplainTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void load() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "reading",
                new FieldSpec("sensor", DeclaredType.STRING, true),
                new FieldSpec("value", DeclaredType.INT, true),
                new FieldSpec("ratio", DeclaredType.NUMERIC, true),
                new FieldSpec("taken", DeclaredType.DATETIME, true));
        ModelDefinition other = fx.engine.defineModel(2, "reading", List.of(new FieldSpec("sensor", DeclaredType.STRING, true)));
        fx.engine.reserveSlot(other.fieldId("sensor")).orElseThrow();
        LocalDateTime base = LocalDateTime.of(2024, 1, 1, 0, 0);
        List<EntryPayload> batch = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            batch.add(EntryPayload.of(1, m.modelId(), Map.of("sensor", "s" + (i % 300), "value", i, "ratio", i / 10.0,
                    "taken", base.plusMinutes(i) + ":00Z")));
            if (i % 3 == 0) {
                batch.add(EntryPayload.of(2, other.modelId(), Map.of("sensor", "s" + (i % 300))));
            }
            if (batch.size() >= 1000) {
                write(batch);
            }
        }
        write(batch);
        assertThat(fx.count("SELECT COUNT(*) FROM " + PAGE + " WHERE tenant_id = 1")).isEqualTo(ENTRIES);
        fx.exec("UPDATE stardust_slot_assignments SET status = 'ready' WHERE field_id IS NOT NULL",
                "UPDATE stardust_schema_version SET version = version + 1");
        assertThat(fx.rows("ANALYZE TABLE entry_data, " + PAGE)).allMatch(r -> r.get(3).equals("OK"));
        snapshot = new SnapshotCache(fx.ds, Clock.systemUTC()).get(1, m.modelId(), "explain");
        assertThat(snapshot.fields()).allMatch(f -> f.indexedNow() && f.slotStatus().wireName().equals("ready")
                && f.pageLayout() == PageLayout.V2);
    }

    private void write(List<EntryPayload> batch) {
        assertThat(fx.engine.bulkWrite(batch).entriesCommitted()).isEqualTo(batch.size());
        batch.clear();
    }

    @AfterAll
    void close() {
        fx.close();
    }

    private String slotOf(String field) {
        return snapshot.field(field).slotColumn();
    }

    /** Every table access of the plan: {@code table_name → access_type, key}. */
    private List<JsonNode> explain(FilterNode filter) {
        List<JsonNode> tables = new ArrayList<>();
        collectTables(plan(filter), tables);
        return tables;
    }

    /** The whole EXPLAIN FORMAT=JSON of the probe the driver runs for {@code filter}. */
    private JsonNode plan(FilterNode filter) {
        EntryReader.FilterSql sql = MySqlSearchDriver.toFilterSql(MySqlSearchDriver.compile(filter, snapshot));
        EntryQuery q = EntryQuery.all(1, m.modelId()).withFilter(filter);
        try (Connection c = fx.ds.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN FORMAT=JSON " + EntryReader.probeSql(sql))) {
            List<Object> bindings = EntryReader.probeBindings(q, 0, sql);
            for (int i = 0; i < bindings.size(); i++) {
                ps.setObject(i + 1, bindings.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Json.parseStored(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collectTables(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            JsonNode table = node.get("table");
            if (table != null && table.has("table_name")) {
                out.add(table);
            }
            node.forEach(child -> collectTables(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectTables(child, out));
        }
    }

    private void assertIndexedAccess(FilterNode filter, String field, String... accessTypes) {
        List<JsonNode> tables = explain(filter);
        JsonNode page = tables.stream().filter(t -> t.get("table_name").asText().equals("p0")).findFirst()
                .orElseThrow(() -> new AssertionError("no p0 in plan " + tables));
        assertThat(page.path("access_type").asText()).as("%s: %s", filter, page).isIn((Object[]) accessTypes);
        assertThat(page.path("key").asText()).as("%s: %s", filter, page).isEqualTo("ix_" + PAGE + "_" + slotOf(field));
        assertThat(tables).as("%s: no full scan", filter).noneMatch(t -> t.path("access_type").asText().equals("ALL"));
    }

    @Test
    void equalityUsesTheSlotIndex() {
        // ref on (tenant_id, slot), or range on (tenant_id, slot, entry_id) when the cursor bound extends the key:
        // both read only the matching index entries, already in entry-id order.
        assertIndexedAccess(leaf("sensor", "eq", "s17"), "sensor", "ref", "range");
        assertIndexedAccess(leaf("value", "eq", 1234), "value", "ref", "range");
        assertIndexedAccess(leaf("taken", "eq", "2024-01-02T00:00:00Z"), "taken", "ref", "range");
        assertIndexedAccess(leaf("ratio", "eq", 12.5), "ratio", "ref", "range");
        assertIndexedAccess(leaf("value", "is_null", null), "value", "ref", "range");
    }

    @Test
    void equalityOnOneSlotOfAV2PageIsAnOrderedIndexScanWithoutFilesort() {
        // (tenant_id, key, entry_id) holds one value's entries in entry-id order: the first page is the first index
        // entries, no matter how many entries hold the value; a string short enough for its key is not even
        // re-checked against the row (covering).
        for (FilterNode f : List.of(leaf("sensor", "eq", "s17"), leaf("value", "eq", 1234), leaf("ratio", "eq", 12.5),
                leaf("taken", "eq", "2024-01-02T00:00:00Z"), leaf("sensor", "is_null", null))) {
            JsonNode plan = plan(f);
            assertThat(plan.findValues("using_filesort")).as("%s: %s", f, plan).noneMatch(JsonNode::asBoolean);
            JsonNode page = explain(f).get(0);
            assertThat(page.path("table_name").asText()).as("%s: %s", f, page).isEqualTo("p0");
            assertThat(page.path("access_type").asText()).as("%s: %s", f, page).isIn("ref", "range");
            assertThat(page.path("using_index").asBoolean()).as("%s covering: %s", f, page).isTrue();
        }
        FilterNode longValue = leaf("sensor", "eq", "s".repeat(PageLayout.KEY_BYTES));
        JsonNode plan = plan(longValue);
        assertThat(plan.findValues("using_filesort")).as("%s", plan).noneMatch(JsonNode::asBoolean);
        assertThat(explain(longValue).get(0).path("key").asText()).isEqualTo("ix_" + PAGE + "_" + slotOf("sensor"));
    }

    @Test
    void rangesUseRangeOnTheSlotIndex() {
        assertIndexedAccess(leaf("value", "between", List.of(100, 140)), "value", "range");
        assertIndexedAccess(leaf("value", "gt", ENTRIES - 50), "value", "range");
        assertIndexedAccess(leaf("ratio", "lt", 3.0), "ratio", "range");
        assertIndexedAccess(leaf("taken", "lte", "2024-01-01T00:30:00+00:00"), "taken", "range");
        assertIndexedAccess(leaf("sensor", "in", List.of("s1", "s2")), "sensor", "range");
        assertIndexedAccess(leaf("sensor", "prefix", "s299"), "sensor", "range");
    }

    @Test
    void aConjunctionStillDrivesFromASlotIndex() {
        FilterNode f = and(leaf("sensor", "eq", "s5"), leaf("value", "gt", 10));
        List<JsonNode> tables = explain(f);
        JsonNode page = tables.stream().filter(t -> t.get("table_name").asText().equals("p0")).findFirst().orElseThrow();
        assertThat(page.path("access_type").asText()).as(page.toString()).isIn("ref", "range");
        assertThat(page.path("key").asText()).startsWith("ix_" + PAGE + "_");
        assertThat(tables).noneMatch(t -> t.path("access_type").asText().equals("ALL"));
    }

    @Test
    void unselectiveFiltersMayWalkEntryIdOrderButNeverScanInFull() {
        // When most rows match, reading in entry-id order until the page is full beats reading every match through
        // the slot index and sorting; the optimizer may choose either, but never a full table scan.
        for (FilterNode f : List.of(leaf("value", "gt", 10), leaf("sensor", "neq", "s1"), leaf("ratio", "is_not_null", null))) {
            List<JsonNode> tables = explain(f);
            assertThat(tables).as(f + ": " + tables).noneMatch(t -> t.path("access_type").asText().equals("ALL"));
            assertThat(tables.get(0).path("table_name").asText()).as("a page drives, never entry_data").isEqualTo("p0");
        }
    }

    @Test
    void theExistsShapeNeverScansATableInFull() {
        for (FilterNode f : List.of(or(leaf("sensor", "eq", "s5"), leaf("value", "eq", 7)), not(leaf("sensor", "eq", "s5")))) {
            List<JsonNode> tables = explain(f);
            assertThat(tables).as(f + ": " + tables).isNotEmpty()
                    .noneMatch(t -> t.path("access_type").asText().equals("ALL"));
        }
    }
}
