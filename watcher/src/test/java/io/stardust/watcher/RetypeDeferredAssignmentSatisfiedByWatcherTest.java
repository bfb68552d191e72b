package io.stardust.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.lifecycle.RetypeBackfill;
import io.stardust.engine.lifecycle.RetypeChunk;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A deferred retype is pending demand of its target family; the Watcher provisions for it and the backfill proceeds. */
@ExtendWith(MySqlExtension.class)
class RetypeDeferredAssignmentSatisfiedByWatcherTest {
    private final TestDatabase db;
    private EngineFixture fx;

    RetypeDeferredAssignmentSatisfiedByWatcherTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void theWatcherProvisionsAnIndexedPageForADeferredRetypeWhichTheNextChunkReservesThenTheWatcherStops() throws Exception {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        long entry = fx.write(1, m, Map.of("code", "31"));
        assertThat(fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT).deferredAssignment()).isTrue();
        UtcClock clock = new UtcClock(Clock.systemUTC());
        RetypeBackfill backfill = new RetypeBackfill(fx.ds, clock, new SlotReserver(fx.ds, clock));
        Watcher watcher = WatcherDaemon.create(fx.ds, WatcherConfig.defaults().withCapacityThreshold(0.0), Clock.systemUTC(),
                (min, max) -> max, null);
        assertThat(backfill.runChunk(100)).isInstanceOf(RetypeChunk.CapacityWait.class);

        assertThat(watcher.poll()).isEqualTo("provisioned");
        assertThat(fx.rows("SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'entry_slots_page_2' AND COLUMN_NAME LIKE 'i_%'")).containsExactly(List.of("i_int_01"));

        RetypeChunk done = backfill.runChunk(100);
        assertThat(done).isInstanceOf(RetypeChunk.Done.class);
        assertThat(((RetypeChunk.Done) done).reservedNow().pageId()).isEqualTo(2);
        assertThat(fx.rows("SELECT i_int_01 FROM entry_slots_page_2 WHERE entry_id = ?", entry)).containsExactly(List.of(31L));
        assertThat(watcher.poll()).isEqualTo("no_action");
    }
}
