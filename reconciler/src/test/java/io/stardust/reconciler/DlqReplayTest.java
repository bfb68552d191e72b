package io.stardust.reconciler;

import io.stardust.EngineFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.DlqReplayNotFoundException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.db.UtcClock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DLQ replay: upstream's DlqReplayTest, plus the dry run, the extra filters and the loop guard. */
@ExtendWith(MySqlExtension.class)
class DlqReplayTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-05-20T12:00:00Z"), ZoneOffset.UTC);

    private final TestDatabase db;
    private EngineFixture fx;
    private DlqReplayer replayer;

    DlqReplayTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        replayer = new DlqReplayer(fx.ds, new UtcClock(NOW), 3);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private String snapshot() {
        return fx.rows("SELECT * FROM stardust_reconciler_dlq ORDER BY id").toString()
                + fx.rows("SELECT * FROM stardust_sync_queue ORDER BY id");
    }

    @Test
    void byIdReEnqueuesTheEntryAndDeletesTheRowAndCarriesTheReplayCount() {
        long keep = DlqSeeds.row(fx, "sync_queue", 11L, 1, "other", "2026-05-20 10:00:00", 0);
        long replay = DlqSeeds.row(fx, "sync_queue", 12L, 1, "other", "2026-05-20 10:00:00", 1);

        DlqReplayer.Result r = replayer.replay(DlqFilter.byId(replay), DlqReplayer.Progress.NONE);

        assertThat(r.count()).isEqualTo(1);
        assertThat(r.consumedDlqIds()).containsExactly(replay);
        assertThat(r.reenqueuedEntries()).containsExactly(12L);
        assertThat(r.heldBack()).isEmpty();
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq")).containsExactly(List.of(keep));
        assertThat(fx.rows("SELECT entry_id, created_at, dlq_replays FROM stardust_sync_queue"))
                .containsExactly(List.of(12L, java.time.LocalDateTime.of(2026, 5, 20, 12, 0), 2));
    }

    @Test
    void byReasonReplaysOnlyThatReasonAndBulkImportRowsAreRemovedWithoutEnqueue() {
        DlqSeeds.row(fx, "sync_queue", 21L, 1, "schema_incompatibility", "2026-05-20 10:00:00", 0);
        long other = DlqSeeds.row(fx, "sync_queue", 22L, 1, "other", "2026-05-20 10:00:00", 0);
        DlqSeeds.row(fx, "bulk_import", null, 1, "schema_incompatibility", "2026-05-20 10:00:00", 0);
        DlqSeeds.row(fx, "sync_queue", 23L, 2, "schema_incompatibility", "2026-05-20 10:00:00", 0);

        DlqReplayer.Result r = replayer.replay(DlqFilter.byReason("schema_incompatibility"), DlqReplayer.Progress.NONE);

        assertThat(r.count()).isEqualTo(3);
        assertThat(r.reenqueuedEntries()).containsExactly(21L, 23L);
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq")).containsExactly(List.of(other));
        assertThat(fx.rows("SELECT entry_id FROM stardust_sync_queue ORDER BY id")).containsExactly(List.of(21L), List.of(23L));
    }

    @Test
    void tenantAndAgeFiltersNarrowTheReplay() {
        DlqSeeds.row(fx, "sync_queue", 31L, 7, "other", "2026-05-18 12:00:00", 0); // 2 days old, tenant 7
        DlqSeeds.row(fx, "sync_queue", 32L, 7, "other", "2026-05-20 11:00:00", 0); // 1 hour old
        DlqSeeds.row(fx, "sync_queue", 33L, 8, "other", "2026-05-18 12:00:00", 0); // other tenant

        DlqReplayer.Result r = replayer.replay(new DlqFilter(null, null, 7L, Duration.ofDays(1), 0), DlqReplayer.Progress.NONE);

        assertThat(r.reenqueuedEntries()).containsExactly(31L);
        assertThat(fx.rows("SELECT entry_id FROM stardust_reconciler_dlq ORDER BY id")).containsExactly(List.of(32L), List.of(33L));
    }

    @Test
    void noMatchThrowsNotFoundAndChangesNothing() {
        DlqSeeds.row(fx, "sync_queue", 41L, 1, "other", "2026-05-20 10:00:00", 0);
        String before = snapshot();

        assertThatThrownBy(() -> replayer.replay(DlqFilter.byId(999), DlqReplayer.Progress.NONE))
                .isInstanceOf(DlqReplayNotFoundException.class).hasMessageContaining("--id=999");
        assertThatThrownBy(() -> replayer.replay(DlqFilter.byReason("malformed_json"), DlqReplayer.Progress.NONE))
                .isInstanceOf(DlqReplayNotFoundException.class).hasMessageContaining("--reason=malformed_json");
        assertThatThrownBy(() -> replayer.replay(DlqFilter.byReason("not_a_reason"), DlqReplayer.Progress.NONE))
                .isInstanceOf(DlqReplayNotFoundException.class);
        assertThatThrownBy(() -> replayer.plan(DlqFilter.byId(999))).isInstanceOf(DlqReplayNotFoundException.class);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theDryRunPlanShowsWhatWouldHappenAndChangesNoRow() {
        long a = DlqSeeds.row(fx, "sync_queue", 51L, 1, "other", "2026-05-20 10:00:00", 0);
        long b = DlqSeeds.row(fx, "bulk_import", null, 1, "other", "2026-05-20 10:00:00", 0);
        long c = DlqSeeds.row(fx, "sync_queue", 53L, 1, "other", "2026-05-20 10:00:00", 3);
        String before = snapshot();

        List<DlqReplayer.Planned> plan = replayer.plan(DlqFilter.byReason("other"));

        assertThat(plan).extracting(p -> p.row().id(), DlqReplayer.Planned::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple(a, DlqReplayer.Action.REPLAY),
                org.assertj.core.groups.Tuple.tuple(b, DlqReplayer.Action.REMOVE_ONLY),
                org.assertj.core.groups.Tuple.tuple(c, DlqReplayer.Action.HELD_BACK));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aRowPastTheAttemptLimitIsHeldBackAndReportedWhileTheOthersReplay() {
        long ok = DlqSeeds.row(fx, "sync_queue", 61L, 1, "other", "2026-05-20 10:00:00", 2);
        long exhausted = DlqSeeds.row(fx, "sync_queue", 62L, 1, "other", "2026-05-20 10:00:00", 3);

        DlqReplayer.Result r = replayer.replay(DlqFilter.byReason("other"), DlqReplayer.Progress.NONE);

        assertThat(r.reenqueuedEntries()).containsExactly(61L);
        assertThat(r.consumedDlqIds()).containsExactly(ok);
        assertThat(r.heldBack()).extracting(DlqEntry::id).containsExactly(exhausted);
        assertThat(fx.rows("SELECT id, retry_count FROM stardust_reconciler_dlq")).containsExactly(List.of(exhausted, 3));
        assertThat(fx.rows("SELECT entry_id, dlq_replays FROM stardust_sync_queue")).containsExactly(List.of(61L, 3));
    }

    @Test
    void aFailureMidReplayRollsBackTheWholeReplay() {
        long first = DlqSeeds.row(fx, "sync_queue", 71L, 1, "other", "2026-05-20 10:00:00", 0);
        for (int i = 0; i < 600; i++) { // more than one batch of 500
            DlqSeeds.row(fx, "sync_queue", 1000L + i, 1, "other", "2026-05-20 10:00:00", 0);
        }
        long last = fx.count("SELECT MAX(id) FROM stardust_reconciler_dlq");
        fx.exec("CREATE TRIGGER refuse_last BEFORE DELETE ON stardust_reconciler_dlq FOR EACH ROW"
                + " BEGIN IF OLD.id = " + last + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END");
        String before = snapshot();
        List<Integer> progress = new ArrayList<>();

        assertThatThrownBy(() -> replayer.replay(DlqFilter.byReason("other"), (done, total) -> progress.add(done)))
                .hasMessageContaining("injected");

        assertThat(progress).as("the first batch was applied before the failure").containsExactly(500);
        assertThat(snapshot()).as("re-enqueue and delete are one transaction").isEqualTo(before);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq WHERE id = ?", first)).isEqualTo(1);
    }

    @Test
    void thePoisonLoopEndsAtTheAttemptLimit() throws Exception {
        ModelDefinition model = fx.model(1, "m", new FieldSpec("n", DeclaredType.INT, true));
        long entry = fx.write(1, model, Map.of("n", "not a number"));
        fx.engine.ensureSlots(1, model.modelId());
        Reconciler reconciler = ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults(), NOW, Sleeper.system(), null);

        for (int replay = 0; replay < 3; replay++) {
            reconciler.tick(); // fails again: a DLQ row with the replays so far
            assertThat(fx.rows("SELECT entry_id, retry_count FROM stardust_reconciler_dlq")).containsExactly(List.of(entry, replay));
            assertThat(replayer.replay(DlqFilter.byReason("schema_incompatibility"), DlqReplayer.Progress.NONE)
                    .reenqueuedEntries()).containsExactly(entry);
        }
        reconciler.tick();

        DlqReplayer.Result r = replayer.replay(DlqFilter.byReason("schema_incompatibility"), DlqReplayer.Progress.NONE);
        assertThat(r.reenqueuedEntries()).isEmpty();
        assertThat(r.heldBack()).extracting(DlqEntry::entryId).containsExactly(entry);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(fx.rows("SELECT retry_count FROM stardust_reconciler_dlq")).containsExactly(List.of(3));
    }

    @Test
    void severalIdsWinOverTheOtherFiltersAndALimitTakesTheOldestRowsFirst() {
        long a = DlqSeeds.row(fx, "sync_queue", 61L, 1, "other", "2026-05-20 10:00:00", 0);
        long b = DlqSeeds.row(fx, "sync_queue", 62L, 2, "other", "2026-05-20 10:00:00", 0);
        long c = DlqSeeds.row(fx, "sync_queue", 63L, 1, "other", "2026-05-20 10:00:00", 0);

        DlqReplayer.Result byIds = replayer.replay(new DlqFilter(List.of(a, b), "malformed_json", 9L, null, 0),
                DlqReplayer.Progress.NONE);
        assertThat(byIds.reenqueuedEntries()).containsExactly(61L, 62L);

        long d = DlqSeeds.row(fx, "sync_queue", 64L, 1, "other", "2026-05-20 10:00:00", 0);
        DlqReplayer.Result limited = replayer.replay(DlqFilter.all().withLimit(1), DlqReplayer.Progress.NONE);
        assertThat(limited.consumedDlqIds()).containsExactly(c);
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq")).containsExactly(List.of(d));
    }
}
