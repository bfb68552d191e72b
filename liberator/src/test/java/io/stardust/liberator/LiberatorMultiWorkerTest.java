package io.stardust.liberator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.AdvisoryLock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several Liberators at once: one page is swept by one worker at a time, every slot is freed exactly once. */
@ExtendWith(MySqlExtension.class)
class LiberatorMultiWorkerTest {
    private final TestDatabase db;
    private DbFixture fx;

    LiberatorMultiWorkerTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = DbFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Liberator liberator() {
        return Liberator.create(fx.ds, LiberatorConfig.defaults().withChunkSize(3), Sleeper.system(), () -> false, null, null);
    }

    /** Tombstoned slots on pages 1 and 2, each column holding a value for each of {@code n} entries. */
    private void seedTwoPages(int n) {
        List<DbFixture.SeededSlot> slots = fx.modelWithSlots("m", 4);
        fx.seedEntries(n, slots.toArray(DbFixture.SeededSlot[]::new));
        fx.engine.provisionPage(List.of());
        fx.exec("INSERT INTO entry_slots_page_2 (entry_id, tenant_id, i_str_01, i_str_02, i_str_03)"
                        + " SELECT id, tenant_id, 'a', 'b', 'c' FROM entry_data",
                "UPDATE stardust_slot_assignments SET status = 'tombstoned', tombstoned_at = UTC_TIMESTAMP()"
                        + " WHERE page_id = 2 AND slot_column IN ('i_str_01', 'i_str_02', 'i_str_03')");
        slots.forEach(s -> fx.tombstone(s.slotAssignmentId()));
    }

    @Test
    void aPageBeingSweptByAnotherWorkerIsSkippedAndTheOtherPagesAreSwept() throws Exception {
        seedTwoPages(7);
        try (AdvisoryLock otherWorker = AdvisoryLock.acquire(fx.ds::getConnection, Liberator.PAGE_LOCK_PREFIX + 1, 0);
             Liberator liberator = liberator()) {
            assertThat(liberator.tick()).isEqualTo(TickOutcome.WORK_DONE);

            assertThat(fx.rows("SELECT page_id, status, COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'"
                    + " GROUP BY page_id, status")).containsExactly(List.of(1, "tombstoned", 4L));
            assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_2 WHERE i_str_01 IS NOT NULL OR i_str_02 IS NOT NULL"
                    + " OR i_str_03 IS NOT NULL")).isZero();
            otherWorker.release();
            assertThat(liberator.tick()).isEqualTo(TickOutcome.WORK_DONE);
        }
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'")).isZero();
    }

    @Test
    void twoWorkersTickingTogetherFreeEverySlotAndNullEveryValueWithOneBumpPerSlot() throws Exception {
        seedTwoPages(20);
        long version = fx.version();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Liberator a = liberator(); Liberator b = liberator()) {
            List<Future<Integer>> runs = pool.invokeAll(List.of(() -> drain(a), () -> drain(b)));
            for (Future<Integer> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 IS NOT NULL OR i_str_02 IS NOT NULL"
                + " OR i_str_03 IS NOT NULL OR i_str_04 IS NOT NULL")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_2 WHERE i_str_01 IS NOT NULL OR i_str_02 IS NOT NULL"
                + " OR i_str_03 IS NOT NULL")).isZero();
        assertThat(fx.version()).as("each of the 7 slots freed exactly once").isEqualTo(version + 7);
    }

    private static int drain(Liberator liberator) throws Exception {
        int ticks = 0;
        while (liberator.tick() == TickOutcome.WORK_DONE) {
            ticks++;
        }
        return ticks;
    }
}
