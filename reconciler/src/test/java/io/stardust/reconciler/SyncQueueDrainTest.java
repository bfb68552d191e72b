package io.stardust.reconciler;

import io.stardust.EngineFixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Draining the sync queue: upstream's SyncQueueDrainTest. */
@ExtendWith(MySqlExtension.class)
class SyncQueueDrainTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;
    private ModelDefinition model;

    SyncQueueDrainTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        events = EventCapture.open();
        model = fx.model(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("note", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    private Reconciler reconciler(ReconcilerConfig config) {
        return ReconcilerDaemon.create(fx.ds, config, Clock.systemUTC(), Sleeper.system(), null);
    }

    private void giveSlots() {
        fx.engine.ensureSlots(1, model.modelId());
        events.clear();
    }

    private List<EventCapture.Event> reconcilerEvents() {
        return events.all().stream().filter(e -> Reconciler.SOURCE.equals(e.source())).toList();
    }

    @Test
    void drainsEveryQueuedRowIntoItsSlotsAndDeletesTheQueueRowsInTheSameTransaction() throws Exception {
        long a = fx.write(1, model, Map.of("name", "Acme", "employees", 120, "note", "json only"));
        long b = fx.write(1, model, Map.of("name", "Globex", "employees", "77"));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isEqualTo(2);
        giveSlots();
        long version = fx.engine.schemaVersion();

        assertThat(reconciler(ReconcilerConfig.defaults()).tick()).isEqualTo(TickOutcome.WORK_DONE);

        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(fx.rows("SELECT entry_id, i_str_01, i_int_01 FROM entry_slots_page_1 ORDER BY entry_id"))
                .containsExactly(List.of(a, "Acme", 120L), List.of(b, "Globex", 77L));
        assertThat(reconcilerEvents()).extracting(EventCapture.Event::name).containsExactly("chunk_claimed", "chunk_complete");
        EventCapture.Event complete = events.named("chunk_complete").get(0);
        assertThat(complete.get("queue")).isEqualTo("sync_queue");
        assertThat(complete.get("rows_processed")).isEqualTo(2);
        assertThat(complete.get("rows_dlq")).isEqualTo(0);
        assertThat(complete.get("correlation_id")).isEqualTo(events.named("chunk_claimed").get(0).get("correlation_id"));
        assertThat(events.named("chunk_claimed").get(0).get("rows_claimed")).isEqualTo(2);
        assertThat(fx.engine.schemaVersion()).as("queue drains never bump").isEqualTo(version);
    }

    @Test
    void anEmptyQueueIsAnIdleTickWithoutEvents() throws Exception {
        assertThat(reconciler(ReconcilerConfig.defaults()).tick()).isEqualTo(TickOutcome.IDLE);
        assertThat(reconcilerEvents()).isEmpty();
    }

    @Test
    void chunksFollowTheQueueOrderAcrossTicks() throws Exception {
        List<Long> ids = fx.writeMany(1, model, "name", 5);
        giveSlots();
        Reconciler r = reconciler(ReconcilerConfig.defaults().withChunkSize(2));

        assertThat(r.tick()).isEqualTo(TickOutcome.WORK_DONE);
        assertThat(fx.rows("SELECT entry_id FROM entry_slots_page_1 ORDER BY entry_id"))
                .containsExactly(List.of(ids.get(0)), List.of(ids.get(1)));
        r.tick();
        r.tick();
        assertThat(r.tick()).isEqualTo(TickOutcome.IDLE);
        assertThat(events.named("chunk_complete")).extracting(e -> e.get("rows_processed")).containsExactly(2, 2, 1);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 IS NOT NULL")).isEqualTo(5);
    }

    @Test
    void aMissingEntryGoesToTheDlqAndTheRestOfTheChunkStillDrains() throws Exception {
        long good = fx.write(1, model, Map.of("name", "Acme"));
        fx.exec("INSERT INTO stardust_sync_queue (entry_id, created_at) VALUES (987654, UTC_TIMESTAMP())");
        long after = fx.write(1, model, Map.of("name", "Initech"));
        giveSlots();

        reconciler(ReconcilerConfig.defaults()).tick();

        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(fx.rows("SELECT entry_id FROM entry_slots_page_1 ORDER BY entry_id")).containsExactly(List.of(good), List.of(after));
        List<List<Object>> dlq = fx.rows("SELECT source, entry_id, tenant_id, model_id, reason, retry_count,"
                + " error_message, chunk_correlation_id FROM stardust_reconciler_dlq");
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).subList(0, 6)).containsExactly("sync_queue", 987654L, 0L, 0, "missing_entry_data", 0);
        assertThat((String) dlq.get(0).get(6)).contains("987654");
        String chunkId = (String) events.named("chunk_claimed").get(0).get("correlation_id");
        assertThat(dlq.get(0).get(7)).isEqualTo(chunkId);
        assertThat(reconcilerEvents()).extracting(EventCapture.Event::name)
                .containsExactly("chunk_claimed", "dlq_inserted", "chunk_partial");
        EventCapture.Event inserted = events.named("dlq_inserted").get(0);
        assertThat(inserted.level()).isEqualTo("WARN");
        assertThat(inserted.get("correlation_id")).isEqualTo(chunkId);
        assertThat(inserted.get("dlq_source")).isEqualTo("sync_queue");
        assertThat(inserted.get("entry_id")).isEqualTo(987654L);
        assertThat(inserted.get("reason")).isEqualTo("missing_entry_data");
        EventCapture.Event partial = events.named("chunk_partial").get(0);
        assertThat(partial.get("rows_processed")).isEqualTo(2);
        assertThat(partial.get("rows_dlq")).isEqualTo(1);
    }

    @Test
    void anUncoercibleValueIsASchemaIncompatibilityAndLeavesNoSlotValueOfThatEntry() throws Exception {
        long bad = fx.write(1, model, Map.of("name", "Bad Co", "employees", "many"));
        giveSlots();

        reconciler(ReconcilerConfig.defaults()).tick();

        assertThat(fx.rows("SELECT entry_id, tenant_id, model_id, reason FROM stardust_reconciler_dlq"))
                .containsExactly(List.of(bad, 1L, model.modelId(), "schema_incompatibility"));
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).as("the row's savepoint undid its upsert").isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
    }

    @Test
    void aSoftDeletedEntryIsConsumedWithoutWritingItsSlots() throws Exception {
        long deleted = fx.write(1, model, Map.of("name", "Gone"));
        assertThat(fx.engine.deleteEntry(1, deleted)).isTrue();
        giveSlots();

        reconciler(ReconcilerConfig.defaults()).tick();

        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).isZero();
        assertThat(events.named("chunk_complete").get(0).get("rows_skipped_deleted")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq")).isZero();
    }

    @Test
    void aReplayedEntryThatFailsAgainCarriesItsReplayCountIntoTheNewDlqRow() throws Exception {
        fx.exec("INSERT INTO stardust_sync_queue (entry_id, created_at, dlq_replays) VALUES (424242, UTC_TIMESTAMP(), 3)");

        reconciler(ReconcilerConfig.defaults()).tick();

        assertThat(fx.rows("SELECT entry_id, retry_count FROM stardust_reconciler_dlq")).containsExactly(List.of(424242L, 3));
        assertThat(events.named("dlq_inserted").get(0).get("retry_count")).isEqualTo(3);
    }
}
