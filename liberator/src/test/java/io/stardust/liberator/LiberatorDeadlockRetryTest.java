package io.stardust.liberator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.engine.db.Sleeper;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deadlock retries of the sweep: upstream's LiberatorDeadlockRetryTest. The first two tests use real InnoDB
 * deadlocks: sibling sessions that are heavier than the sweep (thousands of undo records) lock rows in the
 * opposite order, so InnoDB picks the sweep's chunk transaction as the victim. The last two inject SQLState 40001 /
 * error 1213 through the {@link ChunkCommitter} seam, as upstream does.
 */
@ExtendWith(MySqlExtension.class)
class LiberatorDeadlockRetryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestDatabase db;
    private DbFixture fx;
    private EventCapture events;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Connection> siblings = new ArrayList<>();

    LiberatorDeadlockRetryTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = DbFixture.fresh(db);
        fx.exec("CREATE TABLE deadlock_ballast (id INT NOT NULL PRIMARY KEY)");
        events = EventCapture.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Connection c : siblings) {
            c.close();
        }
        threads.shutdownNow();
        events.close();
        fx.close();
    }

    /**
     * A sibling transaction made heavier than any sweep chunk (InnoDB rolls back the lighter side of a deadlock),
     * holding the lock on {@code lockSql}'s rows.
     */
    private Connection heavySibling(int ballastOffset) throws SQLException {
        Connection c = fx.ds.getConnection();
        siblings.add(c);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION cte_max_recursion_depth = 100000");
            s.execute("SET SESSION innodb_lock_wait_timeout = 60");
            s.execute("INSERT INTO deadlock_ballast (id) WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1"
                    + " FROM seq WHERE n < 3000) SELECT n + " + ballastOffset + " FROM seq");
        }
        return c;
    }

    private static void lockRow(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery(sql).close();
        }
    }

    /** True while the sweep's session waits for a lock in a statement starting with {@code queryPrefix}. */
    private boolean sweepWaitsIn(String queryPrefix) {
        return fx.count("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"
                + " AND trx_query LIKE ?", queryPrefix + "%") > 0;
    }

    private Liberator liberator(int chunkSize) {
        return Liberator.create(fx.ds, LiberatorConfig.defaults().withChunkSize(chunkSize), Sleeper.system(),
                () -> false, null, null);
    }

    @Test
    void aRealDeadlockRollsTheChunkBackAndTheRetryCommitsIt() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(20, slot);
        fx.tombstone(slot.slotAssignmentId());
        String pageRow = "SELECT entry_id FROM " + slot.table() + " WHERE entry_id = " + ids.get(19) + " FOR UPDATE";
        String slotRow = "SELECT status FROM stardust_slot_assignments WHERE id = " + slot.slotAssignmentId() + " FOR UPDATE";
        Connection sibling = heavySibling(0);
        lockRow(sibling, pageRow); // the sweep will lock the slot row, then block on this page row

        Future<?> tick = threads.submit(() -> liberator(50).tick());
        await().atMost(WAIT).until(() -> sweepWaitsIn("UPDATE " + slot.table()));
        lockRow(sibling, slotRow); // closes the cycle; the lighter sweep is the victim, then waits for the slot row
        await().atMost(WAIT).until(() -> sweepWaitsIn("SELECT status FROM stardust_slot_assignments"));
        sibling.rollback();
        tick.get(30, TimeUnit.SECONDS);

        assertThat(events.named("deadlock_retry")).singleElement().satisfies(e -> {
            assertThat(e.get("attempt")).isEqualTo(1);
            assertThat(e.get("cursor")).isEqualTo(0L);
            assertThat(e.get("slot_assignment_id")).isEqualTo(slot.slotAssignmentId());
            assertThat(e.level()).isEqualTo("WARN");
        });
        assertThat(events.named("sweep_gap_flagged")).isEmpty();
        assertThat(fx.nonNullValues(slot)).isZero();
        assertThat(fx.rows("SELECT status, sweep_gap_count FROM stardust_slot_assignments WHERE id = ?",
                slot.slotAssignmentId())).containsExactly(List.of("free", 0));
    }

    @Test
    void threeRealDeadlocksInARowRecordTheChunkAsAGapAndTheSweepGoesOn() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(15, slot);
        fx.tombstone(slot.slotAssignmentId());
        String pageRow = "SELECT entry_id FROM " + slot.table() + " WHERE entry_id = " + ids.get(9) + " FOR UPDATE";
        String slotRow = "SELECT status FROM stardust_slot_assignments WHERE id = " + slot.slotAssignmentId() + " FOR UPDATE";
        String sweepUpdate = "UPDATE " + slot.table();
        int chunk = 10;

        Connection holder = heavySibling(0);
        lockRow(holder, pageRow);
        Future<?> tick = threads.submit(() -> liberator(chunk).tick());
        for (int round = 1; round <= 3; round++) {
            await().atMost(WAIT).until(() -> sweepWaitsIn(sweepUpdate));
            lockRow(holder, slotRow); // deadlock number `round`: the sweep rolls back and retries
            await().atMost(WAIT).until(() -> sweepWaitsIn("SELECT status FROM stardust_slot_assignments")
                    || sweepWaitsIn("UPDATE stardust_slot_assignments"));
            if (round == 3) {
                break; // the sweep now waits to record the gap
            }
            // hand the page row to the next heavy sibling without a window in which the sweep could slip through
            Connection next = heavySibling(round * 10_000);
            Future<?> queued = threads.submit(() -> {
                lockRow(next, pageRow);
                return null;
            });
            await().atMost(WAIT).until(() -> fx.count("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                    + " WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE 'SELECT entry_id FROM entry_slots_page%'") == 1);
            holder.rollback();
            queued.get(30, TimeUnit.SECONDS);
            holder = next;
        }
        holder.rollback();
        tick.get(30, TimeUnit.SECONDS);

        assertThat(events.named("deadlock_retry")).extracting(e -> e.get("attempt")).containsExactly(1, 2, 3);
        assertThat(events.named("sweep_gap_flagged")).singleElement().satisfies(e -> {
            assertThat(e.get("start_id")).isEqualTo(0L);
            assertThat(e.get("end_id")).isEqualTo((long) chunk);
        });
        assertThat(fx.rows("SELECT status, sweep_gap_count FROM stardust_slot_assignments WHERE id = ?",
                slot.slotAssignmentId())).containsExactly(List.of("free", 1));
        assertThat(fx.count("SELECT COUNT(*) FROM " + slot.table() + " WHERE " + slot.column()
                + " IS NOT NULL AND entry_id <= ?", (long) chunk)).as("the gap's rows keep their values").isEqualTo(10);
        assertThat(fx.count("SELECT COUNT(*) FROM " + slot.table() + " WHERE " + slot.column()
                + " IS NOT NULL AND entry_id > ?", (long) chunk)).as("rows after the gap are swept").isZero();
    }

    private static SQLException injectedDeadlock() {
        return new SQLTransactionRollbackException("Deadlock found when trying to get lock (injected)", "40001", 1213);
    }

    @Test
    void anInjectedDeadlockIsRetriedFromTheSameCursorAndThenSucceeds() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(25, slot);
        fx.tombstone(slot.slotAssignmentId());
        AtomicInteger calls = new AtomicInteger();
        List<Long> cursors = new ArrayList<>();
        Liberator liberator = Liberator.create(fx.ds, LiberatorConfig.defaults().withChunkSize(10), Sleeper.system(),
                () -> false, real -> chunk -> {
                    cursors.add(chunk.cursor());
                    if (calls.incrementAndGet() == 2) {
                        throw injectedDeadlock(); // the second chunk deadlocks once
                    }
                    return real.commit(chunk);
                }, null);

        liberator.tick();

        assertThat(cursors).containsExactly(0L, ids.get(9), ids.get(9), ids.get(19));
        assertThat(events.named("deadlock_retry")).singleElement().satisfies(e -> {
            assertThat(e.get("attempt")).isEqualTo(1);
            assertThat(e.get("cursor")).isEqualTo(ids.get(9));
        });
        assertThat(fx.nonNullValues(slot)).isZero();
        assertThat(fx.count("SELECT sweep_gap_count FROM stardust_slot_assignments WHERE id = ?", slot.slotAssignmentId()))
                .isZero();
    }

    @Test
    void theBudgetOfInjectedDeadlocksTakesTheGapPath() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        fx.seedEntries(25, slot);
        fx.tombstone(slot.slotAssignmentId());
        AtomicInteger calls = new AtomicInteger();
        Liberator liberator = Liberator.create(fx.ds, LiberatorConfig.defaults().withChunkSize(10), Sleeper.system(),
                () -> false, real -> chunk -> {
                    if (calls.incrementAndGet() <= 3) {
                        throw injectedDeadlock(); // the first chunk deadlocks three times
                    }
                    return real.commit(chunk);
                }, null);

        liberator.tick();

        assertThat(events.names()).containsSubsequence("deadlock_retry", "deadlock_retry", "deadlock_retry",
                "sweep_gap_flagged", "sweep_chunk", "sweep_chunk", "sweep_complete");
        assertThat(events.named("sweep_gap_flagged").get(0).get("end_id")).isEqualTo(10L);
        assertThat(fx.rows("SELECT status, sweep_gap_count FROM stardust_slot_assignments WHERE id = ?",
                slot.slotAssignmentId())).containsExactly(List.of("free", 1));
        assertThat(fx.nonNullValues(slot)).as("ids 1..10 were skipped as the gap").isEqualTo(10);
    }
}
