package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.CompactionCapacityException;
import io.stardust.CompactionPlan;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.filter.LeafNode;
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

/** Compaction against MySQL; the wait between checkpoint polls runs a backfill chunk, standing in for a Reconciler. */
@ExtendWith(MySqlExtension.class)
class CompactModelTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private Compaction compaction;
    private ModelDefinition m;

    CompactModelTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        UtcClock clock = new UtcClock(Clock.systemUTC());
        SlotReserver reserver = new SlotReserver(fx.ds, clock);
        RetypeBackfill backfill = new RetypeBackfill(fx.ds, clock, reserver);
        compaction = new Compaction(fx.ds, new FieldLifecycleInitiator(fx.ds, clock, reserver), Clock.systemUTC(),
                d -> backfill.runChunk(100));
        m = fx.model(1, "m", new FieldSpec("a", DeclaredType.STRING, true), new FieldSpec("b", DeclaredType.STRING, true),
                new FieldSpec("c", DeclaredType.INT, true));
        // three pages, one slot of the model on each: page 1 indexes only a; 2 only b; 3 has room for everything
        fx.engine.provisionPage(List.of("i_str_01"));
        fx.engine.reserveSlot(m.fieldId("a")).orElseThrow();
        fx.engine.provisionPage(List.of("i_str_01"));
        fx.exec("UPDATE stardust_slot_assignments SET status = 'assigned', field_id = " + m.fieldId("b")
                + " WHERE page_id = 2 AND slot_column = 'i_str_01'");
        fx.engine.provisionPage(List.of("i_int_01", "i_str_01", "i_str_02", "i_str_03"));
        fx.exec("UPDATE stardust_slot_assignments SET status = 'assigned', field_id = " + m.fieldId("c")
                + " WHERE page_id = 3 AND slot_column = 'i_int_01'");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aThreePageModelEndsOnOnePageWithItsValuesAndFiltersIntactAndARerunIsANoop() {
        long e = fx.write(1, m, Map.of("a", "x", "b", "y", "c", 5));
        CompactionPlan plan;
        try (EventCapture events = EventCapture.open()) {
            plan = compaction.compact(1, m.modelId(), false);
            assertThat(events.names()).contains("compaction_planned", "compaction_complete");
            assertThat(events.named("compaction_complete").get(0).get("pages_after")).isEqualTo(1);
        }

        assertThat(plan.pagesBefore()).isEqualTo(3);
        assertThat(plan.targetPageIds()).containsExactly(3);
        assertThat(plan.excessPagesRemoved()).isEqualTo(2);
        assertThat(fx.rows("SELECT DISTINCT page_id FROM stardust_slot_assignments WHERE field_id IS NOT NULL"
                + " AND status IN ('assigned', 'ready')")).containsExactly(List.of(3));
        for (String f : List.of("a", "b")) {
            assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local(f, "eq", f.equals("a") ? "x" : "y")))
                    .rows()).extracting(r -> r.id()).containsExactly(e);
        }
        long version = fx.engine.schemaVersion();
        try (EventCapture events = EventCapture.open()) {
            assertThat(compaction.compact(1, m.modelId(), false).isNoop()).isTrue();
            assertThat(events.named("compaction_planned")).isEmpty();
        }
        assertThat(fx.engine.schemaVersion()).isEqualTo(version);
    }

    @Test
    void aDryRunReturnsThePlanAndChangesAndLogsNothing() {
        long version = fx.engine.schemaVersion();
        try (EventCapture events = EventCapture.open()) {
            CompactionPlan plan = compaction.compact(1, m.modelId(), true);
            assertThat(plan.relocations()).hasSize(2);
            assertThat(events.all()).isEmpty();
        }
        assertThat(fx.engine.schemaVersion()).isEqualTo(version);
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
    }

    @Test
    void anInadmissiblePlanThrowsAndLeavesTheRegistryUntouched() {
        fx.exec("UPDATE stardust_slot_assignments SET status = 'tombstoned' WHERE page_id = 3 AND status = 'free'");
        long version = fx.engine.schemaVersion();
        assertThatThrownBy(() -> compaction.compact(1, m.modelId(), false))
                .isInstanceOf(CompactionCapacityException.class).hasMessageContaining("Nothing was mutated");
        assertThat(fx.engine.schemaVersion()).isEqualTo(version);
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
    }
}
