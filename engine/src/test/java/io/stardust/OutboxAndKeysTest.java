package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.db.Tx;
import io.stardust.engine.json.Json;
import io.stardust.engine.outbox.ImportOrigin;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.engine.write.EntryWriter;
import io.stardust.engine.write.KeyedWrites;
import io.stardust.engine.write.ModelRoutes;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event outbox is written by every write path in the write's own transaction; keyed upserts and deletes. */
@ExtendWith(MySqlExtension.class)
class OutboxAndKeysTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition company;

    OutboxAndKeysTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private List<OutboxEvent> outbox() {
        return Tx.withConnection(fx.ds, c -> OutboxStore.pending(c, 1000));
    }

    private static ObjectNode fields(Map<String, ?> m) {
        return Json.mapper().valueToTree(m);
    }

    @Test
    void aKeyedWriteFromAFileImportLineCarriesItsOriginIntoItsEventAndADeadLetteredLineGetsItsOwnEvent() {
        String importId = "a".repeat(64);
        Tx.inTransaction(fx.ds, c -> {
            ModelRoutes routes = ModelRoutes.load(c, 1, company.modelId());
            KeyedWrites.apply(c, List.of(
                    KeyedWrites.upsert(routes, "k1", fields(Map.of("name", "A"))).withOrigin(ImportOrigin.landed(importId, 7)),
                    KeyedWrites.upsert(routes, null, fields(Map.of("name", "B")))), LocalDateTime.now());
            OutboxStore.record(c, List.of(new OutboxStore.Change(OutboxEvent.DEAD_LETTERED, 1, 0, 0, null, null,
                    ImportOrigin.landed(importId, 9).deadLettered("too_large"))), LocalDateTime.now());
            return null;
        });
        fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "C"))); // a single event, unpacked as before

        assertThat(outbox()).extracting(OutboxEvent::type, OutboxEvent::origin).containsExactly(
                org.assertj.core.groups.Tuple.tuple("created", ImportOrigin.landed(importId, 7)),
                org.assertj.core.groups.Tuple.tuple("created", null),
                org.assertj.core.groups.Tuple.tuple("dead_lettered", new ImportOrigin(importId, 9, "too_large")),
                org.assertj.core.groups.Tuple.tuple("created", null));
    }

    @Test
    void everyCommittedWritePathRecordsItsEventInOrder() {
        long a = fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "A"))).entryId();
        BulkIngestResult bulk = fx.engine.bulkWrite(List.of(EntryPayload.of(1, company.modelId(), Map.of("name", "B")),
                EntryPayload.of(1, company.modelId(), Map.of("name", "C"))));
        fx.engine.updateEntry(1, a, fields(Map.of("name", "A2")));
        fx.engine.deleteEntry(1, a);
        fx.engine.deleteEntry(1, a); // no transition, no event

        List<OutboxEvent> events = outbox();
        assertThat(events).extracting(OutboxEvent::type).containsExactly("created", "created", "created", "updated", "deleted");
        assertThat(events).extracting(OutboxEvent::entryId).containsExactly(a, bulk.chunks().get(0).entryIds().get(0),
                bulk.chunks().get(0).entryIds().get(1), a, a);
        assertThat(events).extracting(OutboxEvent::eventId).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertThat(events).allMatch(e -> e.tenantId() == 1 && e.modelId() == company.modelId() && e.entryKey() == null
                && e.committedAt() != null);
    }

    @Test
    void aRolledBackWriteLeavesNoEvent() {
        assertThatThrownBy(() -> fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("employees", "lots"))))
                .isInstanceOf(UncoercibleSlotValueException.class);
        assertThatThrownBy(() -> Tx.inTransaction(fx.ds, c -> {
            EntryWriter.writeAll(c, EntryWriter.planAll(c, List.of(EntryPayload.of(1, company.modelId(), Map.of("name", "X")))),
                    LocalDateTime.now());
            assertThat(OutboxStore.pending(c, 10)).hasSize(1); // visible inside the transaction ...
            throw new IllegalStateException("caller fails after the write");
        })).hasMessageContaining("caller fails");
        assertThat(outbox()).isEmpty(); // ... and gone with it
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
    }

    @Test
    void upsertByKeyInsertsThenReplacesAndDeleteByKeySoftDeletes() {
        EntryWriteResult first = fx.engine.upsertByKey(1, company.modelId(), "acme", fields(Map.of("name", "Acme", "employees", 5)));
        EntryWriteResult second = fx.engine.upsertByKey(1, company.modelId(), "acme", fields(Map.of("name", "Acme Ltd")));
        assertThat(second.entryId()).isEqualTo(first.entryId());
        assertThat(fx.engine.get(1, first.entryId()).orElseThrow().fields().toString()).isEqualTo("{\"name\":\"Acme Ltd\"}");
        // full replace: the absent field's slot is cleared
        assertThat(fx.rows("SELECT i_str_01, i_int_01 FROM entry_slots_page_1 WHERE entry_id = ?", first.entryId()).toString())
                .isEqualTo("[[Acme Ltd, null]]");
        assertThat(fx.engine.upsertByKey(1, company.modelId(), "ACME", fields(Map.of("name", "other"))).entryId())
                .as("keys are case-sensitive").isNotEqualTo(first.entryId());

        assertThat(fx.engine.deleteByKey(1, company.modelId(), "acme")).isTrue();
        assertThat(fx.engine.deleteByKey(1, company.modelId(), "acme")).isFalse();
        assertThat(fx.engine.deleteByKey(1, company.modelId(), "never-written")).isFalse();
        assertThat(fx.engine.get(1, first.entryId())).isEmpty();

        EntryWriteResult reborn = fx.engine.upsertByKey(1, company.modelId(), "acme", fields(Map.of("name", "Acme again")));
        assertThat(reborn.entryId()).isNotEqualTo(first.entryId());
        assertThat(fx.count("SELECT entry_id FROM stardust_entry_keys WHERE entry_key = 'acme'")).isEqualTo(reborn.entryId());

        List<OutboxEvent> events = outbox();
        assertThat(events).extracting(e -> e.type() + ":" + e.entryKey())
                .containsExactly("created:acme", "updated:acme", "created:ACME", "deleted:acme", "created:acme");
        assertThatThrownBy(() -> fx.engine.upsertByKey(1, company.modelId() + 99, "k", fields(Map.of())))
                .isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> fx.engine.upsertByKey(1, company.modelId(), "k".repeat(256), fields(Map.of())))
                .isInstanceOf(MalformedEntryPayloadException.class);
    }

    @Test
    void aBatchWithRepeatedKeysEqualsApplyingItsOperationsOneByOne() {
        List<KeyedWrites.Outcome> outcomes = Tx.inTransaction(fx.ds, c -> {
            ModelRoutes routes = ModelRoutes.load(c, 1, company.modelId());
            List<KeyedWrites.Op> ops = new ArrayList<>();
            ops.add(KeyedWrites.upsert(routes, "k1", fields(Map.of("name", "v1"))));
            ops.add(KeyedWrites.upsert(routes, "k2", fields(Map.of("name", "w1"))));
            ops.add(KeyedWrites.upsert(routes, "k1", fields(Map.of("name", "v2"))));
            ops.add(KeyedWrites.delete(1, company.modelId(), "k1"));
            ops.add(KeyedWrites.upsert(routes, null, fields(Map.of("name", "unkeyed"))));
            ops.add(KeyedWrites.upsert(routes, "k1", fields(Map.of("name", "v3"))));
            return KeyedWrites.apply(c, ops, LocalDateTime.now());
        });
        assertThat(outcomes).extracting(KeyedWrites.Outcome::type)
                .containsExactly("created", "created", "updated", "deleted", "created", "created");
        assertThat(outcomes.get(2).entryId()).isEqualTo(outcomes.get(0).entryId());
        assertThat(outcomes.get(5).entryId()).isNotEqualTo(outcomes.get(0).entryId());
        assertThat(fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(e.fields, '$.name')) FROM stardust_entry_keys k"
                + " JOIN entry_data e ON e.id = k.entry_id AND e.deleted_at IS NULL ORDER BY k.entry_key").toString())
                .isEqualTo("[[v3], [w1]]");
        assertThat(outbox()).hasSize(6);
    }
}
