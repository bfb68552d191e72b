package io.stardust.liberator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Liberator's sweep: upstream's LiberatorSweepTest, LiberatorResumeTest and LiberatorOrderingTest. */
@ExtendWith(MySqlExtension.class)
class LiberatorSweepTest {
    private final TestDatabase db;
    private DbFixture fx;
    private EventCapture events;

    LiberatorSweepTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = DbFixture.fresh(db);
        events = EventCapture.open();
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    private Liberator liberator(LiberatorConfig config) {
        return Liberator.create(fx.ds, config, Sleeper.system(), () -> false, null, null);
    }

    private static LiberatorConfig chunks(int size) {
        return LiberatorConfig.defaults().withChunkSize(size);
    }

    private List<EventCapture.Event> liberatorEvents() {
        return events.all().stream().filter(e -> Liberator.SOURCE.equals(e.source())).toList();
    }

    @Test
    void sweepNullsEveryValueFreesTheSlotAndBumpsTheVersionOnceWithOneCorrelationId() throws Exception {
        List<DbFixture.SeededSlot> slots = fx.modelWithSlots("m", 2);
        DbFixture.SeededSlot swept = slots.get(0);
        DbFixture.SeededSlot sibling = slots.get(1);
        List<Long> ids = fx.seedEntries(25, swept, sibling);
        fx.tombstone(swept.slotAssignmentId());
        long version = fx.version();

        assertThat(liberator(chunks(10)).tick()).isEqualTo(TickOutcome.WORK_DONE);

        assertThat(fx.nonNullValues(swept)).isZero();
        assertThat(fx.nonNullValues(sibling)).as("other columns of the page are untouched").isEqualTo(25);
        assertThat(fx.rows("SELECT status, field_id, sweep_cursor_id FROM stardust_slot_assignments WHERE id = ?",
                swept.slotAssignmentId())).containsExactly(Arrays.asList("free", null, ids.get(24)));
        assertThat(fx.version()).isEqualTo(version + 1);
        assertThat(liberatorEvents()).extracting(EventCapture.Event::name)
                .containsExactly("sweep_started", "sweep_chunk", "sweep_chunk", "sweep_chunk", "sweep_complete");
        assertThat(liberatorEvents()).extracting(e -> e.get("correlation_id")).containsOnly(
                liberatorEvents().get(0).get("correlation_id"));
        List<EventCapture.Event> chunks = events.named("sweep_chunk");
        assertThat(chunks).extracting(e -> e.get("rows_nullified")).containsExactly(10, 10, 5);
        assertThat(chunks).extracting(e -> e.get("sweep_cursor_id")).containsExactly(ids.get(9), ids.get(19), ids.get(24));
        assertThat(chunks).allSatisfy(e -> {
            assertThat(e.get("slot_assignment_id")).isEqualTo(swept.slotAssignmentId());
            assertThat(e.fields()).containsKey("chunk_elapsed_ms");
        });
        assertThat(events.named("sweep_started").get(0).get("batch_size")).isEqualTo(1);
        assertThat(events.named("sweep_complete").get(0).get("sweep_cursor_id")).isEqualTo(ids.get(24));
    }

    @Test
    void anExactMultipleOfTheChunkSizeEndsWithAnEmptyChunk() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        fx.seedEntries(30, slot);
        fx.tombstone(slot.slotAssignmentId());

        liberator(chunks(10)).tick();

        assertThat(events.named("sweep_chunk")).extracting(e -> e.get("rows_nullified")).containsExactly(10, 10, 10, 0);
        assertThat(fx.nonNullValues(slot)).isZero();
    }

    @Test
    void anEmptyPageIsReclaimedAtOnceAndAnIdleTickLogsNothing() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        fx.tombstone(slot.slotAssignmentId());
        Liberator liberator = liberator(chunks(10));

        liberator.tick();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE id = ? AND status = 'free'",
                slot.slotAssignmentId())).isEqualTo(1);
        assertThat(events.named("sweep_chunk")).extracting(e -> e.get("rows_nullified")).containsExactly(0);

        events.clear();
        assertThat(liberator.tick()).isEqualTo(TickOutcome.IDLE);
        assertThat(liberatorEvents()).isEmpty();
    }

    @Test
    void theCursorIsCommittedWithEachChunkAndAStopBetweenChunksLeavesExactlyTheCommittedRowsNulled() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(25, slot);
        fx.tombstone(slot.slotAssignmentId());
        AtomicBoolean stop = new AtomicBoolean();
        List<Object> cursorsSeenAfterCommit = new ArrayList<>();
        Liberator liberator = Liberator.create(fx.ds, chunks(10), Sleeper.system(), stop::get, real -> chunk -> {
            ChunkCommitter.Result r = real.commit(chunk);
            cursorsSeenAfterCommit.add(fx.rows("SELECT sweep_cursor_id FROM stardust_slot_assignments WHERE id = ?",
                    slot.slotAssignmentId()).get(0).get(0));
            stop.set(true); // a shutdown arrives during the first chunk
            return r;
        }, null);

        liberator.tick();

        assertThat(cursorsSeenAfterCommit).containsExactly(ids.get(9));
        assertThat(fx.rows("SELECT status FROM stardust_slot_assignments WHERE id = ?", slot.slotAssignmentId()))
                .containsExactly(List.of("tombstoned"));
        assertThat(fx.count("SELECT COUNT(*) FROM " + slot.table() + " WHERE " + slot.column() + " IS NULL AND entry_id <= ?",
                ids.get(9))).isEqualTo(10);
        assertThat(fx.nonNullValues(slot)).isEqualTo(15);

        stop.set(false);
        liberator(chunks(10)).tick();
        assertThat(fx.nonNullValues(slot)).isZero();
    }

    @Test
    void aRestartResumesFromThePresetCursorAndEndsOnTheLastEntryId() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(25, slot);
        fx.tombstone(slot.slotAssignmentId());
        // a previous run committed the first 10 rows: their values are gone and the cursor says so
        fx.exec("UPDATE " + slot.table() + " SET " + slot.column() + " = NULL WHERE entry_id <= " + ids.get(9),
                "UPDATE stardust_slot_assignments SET sweep_cursor_id = " + ids.get(9) + " WHERE id = " + slot.slotAssignmentId());

        liberator(chunks(10)).tick();

        assertThat(events.named("sweep_chunk")).extracting(e -> e.get("rows_nullified")).containsExactly(10, 5);
        assertThat(events.named("sweep_chunk")).extracting(e -> e.get("sweep_cursor_id")).containsExactly(ids.get(19), ids.get(24));
        assertThat(fx.nonNullValues(slot)).isZero();
        assertThat(fx.rows("SELECT sweep_cursor_id FROM stardust_slot_assignments WHERE id = ?", slot.slotAssignmentId()))
                .containsExactly(List.of(ids.get(24)));
    }

    @Test
    void aBatchIsSweptInTombstoneThenPageThenColumnOrder() throws Exception {
        List<DbFixture.SeededSlot> slots = fx.modelWithSlots("m", 3);
        fx.seedEntries(3, slots.toArray(DbFixture.SeededSlot[]::new));
        var t = java.time.LocalDateTime.of(2026, 1, 1, 0, 0);
        fx.tombstone(slots.get(0).slotAssignmentId(), t.plusMinutes(5));
        fx.tombstone(slots.get(2).slotAssignmentId(), t);
        fx.tombstone(slots.get(1).slotAssignmentId(), t);

        liberator(chunks(10)).tick();

        assertThat(events.named("sweep_complete")).extracting(e -> e.get("slot_assignment_id")).containsExactly(
                slots.get(1).slotAssignmentId(), slots.get(2).slotAssignmentId(), slots.get(0).slotAssignmentId());
        assertThat(events.named("sweep_started")).hasSize(1);
    }

    @Test
    void aSlotResurrectedMidSweepIsLeftAloneAndNeverFreed() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        fx.seedEntries(25, slot);
        fx.tombstone(slot.slotAssignmentId());
        AtomicInteger commits = new AtomicInteger();
        Liberator liberator = Liberator.create(fx.ds, chunks(10), Sleeper.system(), () -> false, real -> chunk -> {
            if (commits.incrementAndGet() == 2) { // an operator revives the slot between chunk 1 and chunk 2
                fx.exec("UPDATE stardust_slot_assignments SET status = 'assigned', field_id = " + slot.fieldId()
                        + " WHERE id = " + slot.slotAssignmentId());
            }
            return real.commit(chunk);
        }, null);

        liberator.tick();

        assertThat(fx.nonNullValues(slot)).as("only the first chunk was nulled").isEqualTo(15);
        assertThat(fx.rows("SELECT status, field_id FROM stardust_slot_assignments WHERE id = ?", slot.slotAssignmentId()))
                .containsExactly(List.of("assigned", slot.fieldId()));
        assertThat(events.named("sweep_complete")).isEmpty();
    }

    @Test
    void q5ASlotReusedAndTombstonedAgainIsSweptFromTheStartSoNoStaleValueSurvives() throws Exception {
        DbFixture.SeededSlot first = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(20, first);
        fx.tombstone(first.slotAssignmentId());
        liberator(chunks(50)).tick();
        assertThat(fx.rows("SELECT status, sweep_cursor_id FROM stardust_slot_assignments WHERE id = ?",
                first.slotAssignmentId())).containsExactly(List.of("free", ids.get(19)));

        // the freed column goes to a new field of another model, which writes into the OLD rows' range too
        DbFixture.SeededSlot reused = fx.modelWithSlots("other", 1).get(0);
        assertThat(reused.slotAssignmentId()).isEqualTo(first.slotAssignmentId());
        fx.exec("UPDATE " + reused.table() + " SET " + reused.column() + " = 'new-value' WHERE entry_id IN ("
                + ids.get(2) + ", " + ids.get(15) + ")");
        // an old cursor left on the row (upstream kept it) must not survive tombstoning
        fx.exec("UPDATE stardust_slot_assignments SET sweep_cursor_id = " + ids.get(19) + ", sweep_gap_count = 2"
                + " WHERE id = " + reused.slotAssignmentId());
        fx.tombstone(reused.slotAssignmentId());
        assertThat(fx.rows("SELECT sweep_cursor_id, sweep_gap_count FROM stardust_slot_assignments WHERE id = ?",
                reused.slotAssignmentId())).containsExactly(Arrays.asList(null, 0));

        liberator(chunks(50)).tick();

        assertThat(fx.nonNullValues(reused)).as("no stale value survives the second sweep").isZero();
    }

    @Test
    void theInterChunkDelayIsSleptBetweenChunksOnly() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        fx.seedEntries(25, slot);
        fx.tombstone(slot.slotAssignmentId());
        List<Duration> sleeps = new ArrayList<>();
        Liberator liberator = Liberator.create(fx.ds, chunks(10).withInterChunkDelayMicros(1500), sleeps::add,
                () -> false, null, null);

        liberator.tick();

        assertThat(sleeps).containsExactly(Duration.ofNanos(1_500_000), Duration.ofNanos(1_500_000));
    }
}
