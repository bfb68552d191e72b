package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
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

@ExtendWith(MySqlExtension.class)
class WritePathTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition company;

    WritePathTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("revenue", DeclaredType.NUMERIC, true),
                new FieldSpec("founded", DeclaredType.DATETIME, true), new FieldSpec("city", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private EntryPayload payload(Map<String, ?> fields) {
        return EntryPayload.of(1, company.modelId(), fields);
    }

    @Test
    void writeStoresThePayloadAndMirrorsFilterableFieldsIntoSlots() {
        try (EventCapture events = EventCapture.open()) {
            EntryWriteResult r = fx.engine.write(payload(Map.of("name", "Acme", "employees", 340, "revenue", "1.5e3",
                    "founded", "2001-02-03T04:05:06+02:00", "city", "Berlin", "extra", List.of(1, 2))));
            assertThat(r.enqueuedForBackfill()).isFalse();
            assertThat(r.slotsWritten()).hasSize(4);
            assertThat(fx.rows("SELECT i_str_01, i_int_01, i_num_01, CAST(i_dt_01 AS CHAR) FROM entry_slots_page_1 WHERE entry_id = ?",
                    r.entryId()).toString()).isEqualTo("[[Acme, 340, 1500.0, 2001-02-03 02:05:06]]");
            ObjectNode stored = (ObjectNode) Json.parseStored((String) fx.rows("SELECT fields FROM entry_data WHERE id = ?", r.entryId()).get(0).get(0));
            assertThat(stored.get("city").asText()).isEqualTo("Berlin");
            assertThat(stored.get("extra").toString()).isEqualTo("[1,2]");
            assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
            EventCapture.Event written = events.named("entry_written").get(0);
            assertThat(written.fields()).containsEntry("tenant_id", 1L).containsEntry("entry_id", r.entryId())
                    .containsEntry("slots_written", 4).containsEntry("enqueued", false).containsEntry("source", "api");
            assertThat((String) written.get("correlation_id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        }
    }

    @Test
    void uncoercibleValueRollsTheWholeEntryBack() {
        assertThatThrownBy(() -> fx.engine.write(payload(Map.of("name", "Acme", "employees", "lots"))))
                .isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("employees");
        assertThatThrownBy(() -> fx.engine.write(payload(Map.of("name", "x".repeat(4097)))))
                .isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("4097");
        assertThatThrownBy(() -> fx.engine.write(payload(Map.of("founded", "2024-02-30"))))
                .isInstanceOf(UncoercibleSlotValueException.class);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
    }

    @Test
    void exhaustionFallbackEnqueuesOnceInTheSameTransaction() {
        fx.engine.defineModel(1, "company", List.of(new FieldSpec("rating", DeclaredType.INT, true),
                new FieldSpec("sector", DeclaredType.STRING, true)));
        try (EventCapture events = EventCapture.open()) {
            EntryWriteResult r = fx.engine.write(payload(Map.of("name", "Acme", "rating", 5, "sector", "IT")));
            assertThat(r.enqueuedForBackfill()).isTrue();
            assertThat(fx.rows("SELECT entry_id FROM stardust_sync_queue").toString()).isEqualTo("[[" + r.entryId() + "]]");
            assertThat(events.names()).containsExactly("entry_written", "exhaustion_fallback");
        }
        // Make the queue insert fail: the entry row written earlier in the same transaction must vanish with it.
        fx.exec("CREATE TRIGGER fail_enqueue BEFORE INSERT ON stardust_sync_queue FOR EACH ROW"
                + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'queue unavailable'");
        long before = fx.count("SELECT COUNT(*) FROM entry_data");
        try (EventCapture events = EventCapture.open()) {
            assertThatThrownBy(() -> fx.engine.write(payload(Map.of("name", "Rolled", "rating", 1))))
                    .hasMessageContaining("queue unavailable");
            assertThat(events.names()).as("no event for a rolled-back write").isEmpty();
        }
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(before);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 = 'Rolled'")).isZero();
    }

    @Test
    void nonFilterableAndUnknownKeysStayInJsonAndNeverEnqueue() {
        EntryWriteResult r = fx.engine.write(payload(Map.of("city", "Oslo", "whatever", 1)));
        assertThat(r.enqueuedForBackfill()).isFalse();
        assertThat(r.slotsWritten()).isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).as("no page row at all").isZero();
    }

    @Test
    void writesToAnotherTenantsModelAreRefused() {
        assertThatThrownBy(() -> fx.engine.write(EntryPayload.of(2, company.modelId(), Map.of("name", "x"))))
                .isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> fx.engine.write(EntryPayload.of(0, company.modelId(), Map.of())))
                .isInstanceOf(InvalidTenantIdException.class);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
    }

    @Test
    void failedBulkChunkLeavesNoPartialEntryWhileOtherChunksCommit() {
        List<EntryPayload> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(payload(Map.of("name", "n" + i, "employees", i == 13 ? "oops" : i)));
        }
        try (EventCapture events = EventCapture.open()) {
            BulkIngestResult result = fx.engine.bulkWrite(batch, new BulkIngestOptions(10, 0));
            assertThat(result.chunks()).extracting(BulkIngestResult.Chunk::outcome)
                    .containsExactly("committed", "rolled_back", "committed");
            assertThat(result.entriesCommitted()).isEqualTo(15);
            assertThat(result.chunks().get(1).failureReason()).startsWith("UncoercibleSlotValueException:");
            assertThat(result.chunks().get(0).entryIds()).hasSize(10);
            assertThat(events.names()).containsExactly("bulk_chunk_committed", "bulk_chunk_rolled_back", "bulk_chunk_committed");
        }
        List<String> names = fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.name')) FROM entry_data ORDER BY id").stream()
                .map(r -> (String) r.get(0)).toList();
        assertThat(names).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9",
                "n20", "n21", "n22", "n23", "n24");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).isEqualTo(15);
    }

    @Test
    void bulkEntriesListingTheSameFilterableFieldsInAnotherOrderGetEachValueInItsOwnSlot() {
        Map<String, Object> nameFirst = new LinkedHashMap<>();
        nameFirst.put("name", "Acme");
        nameFirst.put("employees", 10);
        Map<String, Object> employeesFirst = new LinkedHashMap<>();
        employeesFirst.put("employees", 20);
        employeesFirst.put("name", "Bolt");

        BulkIngestResult result = fx.engine.bulkWrite(List.of(payload(nameFirst), payload(employeesFirst)));

        assertThat(result.entriesCommitted()).isEqualTo(2);
        assertThat(fx.rows("SELECT i_str_01, i_int_01 FROM entry_slots_page_1 ORDER BY entry_id").toString())
                .isEqualTo("[[Acme, 10], [Bolt, 20]]");
    }

    @Test
    void bulkLimitsAreEnforcedBeforeAnyWrite() {
        List<EntryPayload> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(payload(Map.of()));
        }
        assertThatThrownBy(() -> fx.engine.bulkWrite(tooMany)).isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("submitBulkWrite");
        List<EntryPayload> badTenant = List.of(payload(Map.of()), EntryPayload.of(0, company.modelId(), Map.of()));
        assertThatThrownBy(() -> fx.engine.bulkWrite(badTenant)).isInstanceOf(InvalidTenantIdException.class);
        assertThat(fx.engine.bulkWrite(List.of()).chunks()).isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
    }

    @Test
    void updateReplacesPayloadAndClearsSlotsOfOmittedFields() {
        long id = fx.engine.write(payload(Map.of("name", "Acme", "employees", 10, "city", "Rome"))).entryId();
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("name", null);
        next.put("revenue", 2.5);
        try (EventCapture events = EventCapture.open()) {
            fx.engine.updateEntry(1, id, next);
            assertThat(events.names()).containsExactly("entry_updated");
        }
        assertThat(fx.rows("SELECT i_str_01, i_int_01, i_num_01 FROM entry_slots_page_1 WHERE entry_id = ?", id).toString())
                .isEqualTo("[[null, null, 2.5]]");
        Entry e = fx.engine.get(1, id).orElseThrow();
        assertThat(e.fields().has("name")).isTrue();
        assertThat(e.fields().get("name").isNull()).isTrue();
        assertThat(e.fields().has("city")).isFalse();
        assertThat(e.modelId()).isEqualTo(company.modelId());

        ObjectNode bad = Json.mapper().valueToTree(Map.of("employees", "many"));
        assertThatThrownBy(() -> fx.engine.updateEntry(1, id, bad)).isInstanceOf(UncoercibleSlotValueException.class);
        assertThat(fx.engine.get(1, id).orElseThrow().fields().get("revenue").asDouble()).isEqualTo(2.5);
        fx.engine.updateEntry(1, id, Map.of("name", "Plain map"));
        assertThat(fx.engine.get(1, id).orElseThrow().fields().toString()).isEqualTo("{\"name\":\"Plain map\"}");
        assertThatThrownBy(() -> fx.engine.updateEntry(2, id, Json.object())).isInstanceOf(EntryNotFoundException.class);
        assertThatThrownBy(() -> fx.engine.updateEntry(1, 424242, Json.object())).isInstanceOf(EntryNotFoundException.class);
    }

    @Test
    void softDeleteHidesTheEntryKeepsItsSlotsAndIsIdempotent() {
        long id = fx.engine.write(payload(Map.of("name", "Gone"))).entryId();
        long sibling = fx.engine.write(payload(Map.of("name", "Stays"))).entryId();
        assertThat(fx.engine.deleteEntry(2, id)).as("foreign tenant").isFalse();
        try (EventCapture events = EventCapture.open()) {
            assertThat(fx.engine.deleteEntry(1, id)).isTrue();
            Object deletedAt = fx.rows("SELECT deleted_at FROM entry_data WHERE id = ?", id).get(0).get(0);
            assertThat(fx.engine.deleteEntry(1, id)).isFalse();
            assertThat(fx.rows("SELECT deleted_at FROM entry_data WHERE id = ?", id).get(0).get(0)).isEqualTo(deletedAt);
            assertThat(events.names()).containsExactly("entry_deleted");
        }
        assertThat(fx.engine.get(1, id)).isEmpty();
        assertThat(fx.engine.read(EntryQuery.all(1, company.modelId())).rows()).extracting(Entry::id).containsExactly(sibling);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE entry_id = ?", id)).isEqualTo(1);
        assertThatThrownBy(() -> fx.engine.updateEntry(1, id, Json.object())).isInstanceOf(EntryNotFoundException.class);
    }
}
