package io.stardust.liberator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.lifecycle.RetypeBackfill;
import io.stardust.engine.lifecycle.RetypeChunk;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.filter.LeafNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slots tombstoned by retype, demotion and field deletion are reclaimed, and a reclaimed column never shows an old
 * value when it is reserved again (Q5).
 */
@ExtendWith(MySqlExtension.class)
class LifecycleReclaimTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private RetypeBackfill backfill;

    LifecycleReclaimTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        UtcClock clock = new UtcClock(Clock.systemUTC());
        backfill = new RetypeBackfill(fx.ds, clock, new SlotReserver(fx.ds, clock));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void sweepAll() throws Exception {
        try (Liberator liberator = Liberator.create(fx.ds, LiberatorConfig.defaults().withChunkSize(2), Sleeper.system(),
                () -> false, null, null)) {
            while (liberator.tick() == TickOutcome.WORK_DONE) {
                // until no tombstoned slot is left
            }
        }
    }

    private void backfillAll() throws Exception {
        while (!(backfill.runChunk(2) instanceof RetypeChunk.Idle)) {
            // until every checkpoint completed
        }
    }

    @Test
    void slotsTombstonedByRetypeAndDemotionAreNulledAndFreed() throws Exception {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("a", DeclaredType.STRING, true),
                new FieldSpec("b", DeclaredType.STRING, true));
        fx.engine.provisionPage(List.of("i_int_01"));
        for (int i = 0; i < 5; i++) {
            fx.write(1, m, Map.of("a", "1" + i, "b", "x" + i));
        }
        long retyped = fx.engine.retypeField(1, m.fieldId("a"), DeclaredType.INT).oldSlotAssignmentId();
        long demoted = fx.engine.demoteFieldFromFilterable(1, m.fieldId("b")).oldSlotAssignmentId();

        sweepAll();

        assertThat(fx.rows("SELECT status, field_id FROM stardust_slot_assignments WHERE id IN (?, ?)", retyped, demoted))
                .containsExactly(java.util.Arrays.asList("free", null), java.util.Arrays.asList("free", null));
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 IS NOT NULL OR i_str_02 IS NOT NULL")).isZero();
    }

    @Test
    void aColumnFreedTwiceAndReservedAgainShowsNoValueOfItsEarlierOwner() throws Exception {
        ModelDefinition m = fx.model(1, "m", new FieldSpec("b", DeclaredType.STRING, true),
                new FieldSpec("c", DeclaredType.STRING, true));
        fx.engine.provisionPage(List.of("i_str_01")); // the one indexed string column, reused by every owner
        fx.engine.reserveSlot(m.fieldId("b")).orElseThrow();
        for (int i = 0; i < 6; i++) {
            fx.write(1, m, Map.of("b", "secret"));
        }
        fx.engine.demoteFieldFromFilterable(1, m.fieldId("b"));
        sweepAll();                                                     // first sweep ends with its cursor on the last entry
        fx.engine.promoteFieldToFilterable(1, m.fieldId("b"));          // i_str_01 again, backfilled with "secret"
        backfillAll();
        fx.engine.demoteFieldFromFilterable(1, m.fieldId("b"));
        sweepAll();                                                     // must start from the first entry again

        assertThat(fx.engine.reserveSlot(m.fieldId("c")).orElseThrow().slotColumn()).isEqualTo("i_str_01");
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("c", "eq", "secret"))).rows())
                .isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 IS NOT NULL")).isZero();
    }

    @Test
    void aSlotTombstonedByDeletingAFieldIsReclaimedAndALaterPromotionReservesItWithoutTheDeletedFieldsValues()
            throws Exception {
        ModelDefinition m = fx.model(1, "m", new FieldSpec("gone", DeclaredType.STRING, true),
                new FieldSpec("later", DeclaredType.STRING, false));
        fx.engine.provisionPage(List.of("i_str_01")); // the one indexed string column: the promotion must reuse it
        long slot = fx.engine.reserveSlot(m.fieldId("gone")).orElseThrow().slotAssignmentId();
        for (int i = 0; i < 5; i++) {
            fx.write(1, m, i % 2 == 0 ? Map.of("gone", "secret") : Map.of("gone", "secret", "later", "v" + i));
        }
        assertThat(fx.engine.deleteField(1, m.fieldId("gone"))).isTrue();
        assertThat(fx.rows("SELECT status FROM stardust_slot_assignments WHERE id = ?", slot))
                .containsExactly(List.of("tombstoned"));

        sweepAll();

        assertThat(fx.rows("SELECT status, field_id FROM stardust_slot_assignments WHERE id = ?", slot))
                .containsExactly(java.util.Arrays.asList("free", null));
        fx.engine.promoteFieldToFilterable(1, m.fieldId("later"));
        backfillAll();
        assertThat(fx.rows("SELECT id, status FROM stardust_slot_assignments WHERE field_id = ?", m.fieldId("later")))
                .as("the promotion reserved the reclaimed column").containsExactly(List.of(slot, "ready"));
        assertThat(fx.rows("SELECT i_str_01 FROM entry_slots_page_1 ORDER BY entry_id").stream().map(r -> r.get(0)))
                .containsExactly(null, "v1", null, "v3", null);
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("later", "eq", "secret")))
                .rows()).isEmpty();
    }
}
