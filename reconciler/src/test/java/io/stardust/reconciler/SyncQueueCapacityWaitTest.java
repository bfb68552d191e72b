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

/** Capacity waits of the sync queue (with the fix of quirk Q12): upstream's SyncQueueCapacityWaitTest. */
@ExtendWith(MySqlExtension.class)
class SyncQueueCapacityWaitTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;
    private ModelDefinition model;

    SyncQueueCapacityWaitTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        events = EventCapture.open();
        model = fx.model(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("city", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    private Reconciler reconciler() {
        return ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults(), Clock.systemUTC(), Sleeper.system(), null);
    }

    private long pendingDemand() {
        return fx.count("SELECT COUNT(*) FROM stardust_fields f WHERE f.is_filterable = 1 AND NOT EXISTS (SELECT 1"
                + " FROM stardust_slot_assignments sa WHERE sa.field_id = f.id AND sa.status IN ('assigned','backfilling','ready'))");
    }

    @Test
    void withoutAnIndexedFreeSlotTheChunkRollsBackAndWaitsAndUnindexedSlotsDoNotCount() throws Exception {
        fx.engine.provisionPage(List.of()); // 60 free slots, none indexed
        fx.exec("INSERT INTO stardust_sync_queue (entry_id, created_at) VALUES (999999, UTC_TIMESTAMP())"); // poison first
        long entry = fx.write(1, model, Map.of("name", "Acme"));
        long version = fx.engine.schemaVersion();

        assertThat(reconciler().tick()).isEqualTo(TickOutcome.CAPACITY_WAIT);

        assertThat(fx.rows("SELECT entry_id FROM stardust_sync_queue ORDER BY id"))
                .as("the whole chunk is back in the queue").containsExactly(List.of(999999L), List.of(entry));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq")).as("the poison row's DLQ insert rolled back").isZero();
        assertThat(events.named("dlq_inserted")).as("Q12: no event for a rolled-back DLQ row").isEmpty();
        assertThat(events.named("capacity_wait")).singleElement().satisfies(e -> {
            assertThat(e.get("queue")).isEqualTo("sync_queue");
            assertThat(e.get("rows_claimed")).isEqualTo(2);
            assertThat(e.get("entry_id")).isEqualTo(entry);
        });
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status <> 'free'")).isZero();
        assertThat(fx.engine.schemaVersion()).isEqualTo(version);
        assertThat(pendingDemand()).isEqualTo(1);
    }

    @Test
    void jsonOnlyFieldsNeverEnqueueNorWait() throws Exception {
        fx.write(1, model, Map.of("city", "Springfield", "unknown", 1));

        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(reconciler().tick()).isEqualTo(TickOutcome.IDLE);
    }

    @Test
    void anIndexedFreeSlotIsReservedThenTheNextTickDrainsWithoutCapacityWait() throws Exception {
        fx.engine.provisionPage(List.of("i_str_03")); // only i_str_03 is indexed
        long entry = fx.write(1, model, Map.of("name", "Acme", "city", "Springfield"));
        long version = fx.engine.schemaVersion();
        Reconciler r = reconciler();

        assertThat(r.tick()).as("reserved a slot, not waiting").isEqualTo(TickOutcome.WORK_DONE);
        assertThat(events.named("capacity_wait")).isEmpty();
        assertThat(fx.rows("SELECT slot_column, status, field_id FROM stardust_slot_assignments WHERE status <> 'free'"))
                .containsExactly(List.of("i_str_03", "assigned", model.fieldId("name")));
        assertThat(events.named("slot_reserved")).singleElement().satisfies(e -> assertThat(e.source()).isEqualTo("registry"));
        assertThat(fx.engine.schemaVersion()).isEqualTo(version + 1);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isEqualTo(1);
        assertThat(pendingDemand()).isZero();

        assertThat(r.tick()).isEqualTo(TickOutcome.WORK_DONE);
        assertThat(fx.rows("SELECT entry_id, i_str_03 FROM entry_slots_page_1")).containsExactly(List.of(entry, "Acme"));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(events.named("capacity_wait")).isEmpty();
        assertThat(r.tick()).isEqualTo(TickOutcome.IDLE);
    }

    @Test
    void theReservationIsScopedToTheStalledEntrysOwnModel() throws Exception {
        ModelDefinition other = fx.model(1, "other", new FieldSpec("name", DeclaredType.STRING, true));
        fx.engine.provisionPage(List.of("i_str_01", "i_str_02"));
        fx.write(1, model, Map.of("name", "Acme"));

        reconciler().tick();

        assertThat(fx.rows("SELECT field_id FROM stardust_slot_assignments WHERE status = 'assigned'"))
                .containsExactly(List.of(model.fieldId("name")));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE field_id = ?", other.fieldId("name"))).isZero();
    }
}
