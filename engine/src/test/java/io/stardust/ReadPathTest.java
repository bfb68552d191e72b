package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.filter.Filters;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class ReadPathTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;

    ReadPathTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "item", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("qty", DeclaredType.INT, true), new FieldSpec("note", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private long write(long tenant, int model, Map<String, ?> fields) {
        return fx.engine.write(EntryPayload.of(tenant, model, fields)).entryId();
    }

    @Test
    void cursorPaginationOverAMutatedDatasetNeitherSkipsNorDuplicates() {
        List<Long> original = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            original.add(write(1, m.modelId(), Map.of("name", "n" + i, "qty", i)));
        }
        List<Long> seen = new ArrayList<>();
        EntryQuery q = EntryQuery.all(1, m.modelId()).withPageSize(10);
        int pages = 0;
        while (true) {
            EntryPage page = fx.engine.read(q);
            pages++;
            page.rows().forEach(r -> seen.add(r.id()));
            // Between pages: new rows arrive, an already-seen row is updated, a not-yet-seen row is updated.
            write(1, m.modelId(), Map.of("name", "late" + pages, "qty", 100 + pages));
            fx.engine.updateEntry(1, original.get(0), Map.of("name", "changed"));
            if (page.nextCursor() == null) {
                break;
            }
            q = q.withCursor(page.nextCursor());
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(original);
        assertThat(seen).isSorted();
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withCursor("bm9wZQ")))
                .isInstanceOf(InvalidCursorException.class).hasMessageStartingWith("Cursor decode failed");
    }

    @Test
    void aCursorIssuedForOneQueryIsRefusedForAnotherModelOrFilter() {
        ModelDefinition other = fx.modelWithSlots(1, "other", new FieldSpec("name", DeclaredType.STRING, true));
        for (int i = 0; i < 3; i++) {
            write(1, m.modelId(), Map.of("name", "a", "qty", i));
            write(1, other.modelId(), Map.of("name", "a"));
        }
        EntryQuery byName = EntryQuery.all(1, m.modelId()).withPageSize(1).withFilter(Filters.leaf("name", "eq", "a"));
        String cursor = fx.engine.read(byName).nextCursor();
        assertThat(fx.engine.read(byName.withCursor(cursor)).rows()).hasSize(1);
        for (EntryQuery elsewhere : List.of(EntryQuery.all(1, m.modelId()), EntryQuery.all(1, other.modelId()),
                byName.withFilter(Filters.leaf("qty", "gte", 0)))) {
            assertThatThrownBy(() -> fx.engine.read(elsewhere.withCursor(cursor))).as(elsewhere.toString())
                    .isInstanceOf(InvalidCursorException.class).hasMessageContaining("issued for another model, filter or sort");
        }
    }

    @Test
    void selectingANameThatIsNotAFieldOfTheModelIsATypedError() {
        write(1, m.modelId(), Map.of("name", "Widget", "unregistered", true));
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withSelect(List.of("qty", "nope"))))
                .isInstanceOfSatisfying(UnknownFieldException.class, e -> {
                    assertThat(e.jsonPointer()).isEqualTo("/select/1");
                    assertThat(e.getMessage()).contains("'nope'").contains("'item'");
                });
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withSelect(List.of("unregistered"))))
                .isInstanceOf(UnknownFieldException.class);
    }

    @Test
    void getReadAndSearchRenderAStoredValueTheSameWay() {
        ModelDefinition typed = fx.modelWithSlots(1, "typed", new FieldSpec("count", DeclaredType.INT, true),
                new FieldSpec("due", DeclaredType.DATETIME, true), new FieldSpec("price", DeclaredType.NUMERIC, false),
                new FieldSpec("label", DeclaredType.STRING, false));
        long id = write(1, typed.modelId(), Map.of("count", "12", "due", "2010-01-01", "price", "2.5", "label", 7,
                "extra", "as-is"));
        String expected = "{\"count\":12,\"due\":\"2010-01-01 00:00:00\",\"price\":2.5,\"label\":\"7\"}";
        Entry read = fx.engine.read(EntryQuery.all(1, typed.modelId())).rows().get(0);
        assertThat(read.fields().toString()).isEqualTo(expected);
        Entry searched = fx.engine.read(EntryQuery.all(1, typed.modelId()).withFilter(Filters.leaf("due", "eq", "2010-01-01"))).rows().get(0);
        assertThat(searched.fields().toString()).isEqualTo(expected);
        Entry got = fx.engine.get(1, id).orElseThrow();
        for (String name : List.of("count", "due", "price", "label")) {
            assertThat(got.fields().get(name)).as(name).isEqualTo(read.fields().get(name));
        }
        assertThat(got.fields().get("extra").asText()).as("keys that are not fields are shown as stored").isEqualTo("as-is");
    }

    @Test
    void lastPageHasNoCursorAndPageSizeIsBounded() {
        for (int i = 0; i < 3; i++) {
            write(1, m.modelId(), Map.of("qty", i));
        }
        EntryPage page = fx.engine.read(EntryQuery.all(1, m.modelId()).withPageSize(3));
        assertThat(page.rows()).hasSize(3);
        assertThat(page.nextCursor()).isNull();
        assertThatThrownBy(() -> EntryQuery.all(1, 1).withPageSize(0)).isInstanceOf(PageSizeOutOfRangeException.class)
                .hasMessageContaining("pageSize");
        assertThatThrownBy(() -> EntryQuery.all(1, 1).withPageSize(1001)).isInstanceOf(PageSizeOutOfRangeException.class);
    }

    @Test
    void rowsOfAnotherTenantNeverAppear() {
        ModelDefinition other = fx.engine.defineModel(2, "item", List.of(new FieldSpec("name", DeclaredType.STRING, true)));
        fx.engine.reserveSlot(other.fieldId("name")).orElseThrow();
        long mine = write(1, m.modelId(), Map.of("name", "same"));
        long theirs = write(2, other.modelId(), Map.of("name", "same"));
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId())).rows()).extracting(Entry::id).containsExactly(mine);
        assertThat(fx.engine.read(EntryQuery.all(2, other.modelId())).rows()).extracting(Entry::id).containsExactly(theirs);
        assertThat(fx.engine.get(1, theirs)).isEmpty();
        assertThat(fx.engine.get(2, mine)).isEmpty();
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(2, m.modelId()))).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(0, m.modelId()))).isInstanceOf(InvalidTenantIdException.class);
        assertThatThrownBy(() -> fx.engine.get(-1, mine)).isInstanceOf(InvalidTenantIdException.class);
    }

    @Test
    void valuesComeFromTheSlotWhenIndexedAndFromJsonOtherwise() {
        long id = write(1, m.modelId(), Map.of("name", "Widget", "qty", 7, "note", "fragile", "unregistered", true));
        // Plant a different value in the slot: the read must show the slot's value for indexed fields only.
        fx.exec("UPDATE entry_slots_page_1 SET i_str_01 = 'from-slot' WHERE entry_id = " + id);
        Entry row = fx.engine.read(EntryQuery.all(1, m.modelId())).rows().get(0);
        assertThat(row.fields().toString()).isEqualTo("{\"name\":\"from-slot\",\"qty\":7,\"note\":\"fragile\"}");

        fx.exec("UPDATE stardust_slot_assignments SET status = 'backfilling' WHERE slot_column = 'i_str_01'",
                "UPDATE stardust_schema_version SET version = version + 1");
        row = fx.engine.read(EntryQuery.all(1, m.modelId())).rows().get(0);
        assertThat(row.fields().get("name").asText()).as("backfilling reads JSON").isEqualTo("Widget");

        row = fx.engine.read(EntryQuery.all(1, m.modelId()).withSelect(List.of("note", "qty"))).rows().get(0);
        assertThat(row.fields().toString()).isEqualTo("{\"note\":\"fragile\",\"qty\":7}");

        Entry whole = fx.engine.get(1, id).orElseThrow();
        assertThat(whole.fields().get("name").asText()).isEqualTo("Widget");
        assertThat(whole.fields().get("unregistered").asBoolean()).isTrue();
    }

    @Test
    void schemaSnapshotIsCachedUntilTheVersionMoves() {
        write(1, m.modelId(), Map.of("qty", 1));
        try (EventCapture events = EventCapture.open()) {
            fx.engine.read(EntryQuery.all(1, m.modelId()));
            fx.engine.read(EntryQuery.all(1, m.modelId()));
            assertThat(events.named("cache_miss")).hasSize(1);
            Map<String, Object> first = new HashMap<>(events.named("cache_miss").get(0).fields());
            assertThat(first.get("cached_version")).isNull();
            fx.engine.defineModel(1, "item", List.of(new FieldSpec("added", DeclaredType.INT, false)));
            fx.engine.read(EntryQuery.all(1, m.modelId()));
            assertThat(events.named("cache_miss")).hasSize(2);
            EventCapture.Event second = events.named("cache_miss").get(1);
            assertThat((Long) second.get("cached_version")).isLessThan((Long) second.get("live_version"));
        }
    }
}
