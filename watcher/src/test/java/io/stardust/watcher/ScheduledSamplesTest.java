package io.stardust.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.daemon.WorkerIdentity;
import io.stardust.engine.advisory.AdvisorySchedule;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The advisory samples go through {@code stardust_advisory_schedule}: a promotion that reaches {@code ready} is
 * sampled once (slot cardinality, model spread) and the periodic sample runs once per interval, however many
 * Watchers poll the same database.
 */
@ExtendWith(MySqlExtension.class)
class ScheduledSamplesTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;
    private HikariDataSource secondPool;
    private ExecutorService threads;
    private final AtomicLong now = new AtomicLong(Instant.now().getEpochSecond() + 60); // after the backfill's (system clock) ready time
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(now.get());
        }
    };

    ScheduledSamplesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        secondPool = fx.pool(3, "second-watcher");
        threads = Executors.newFixedThreadPool(2);
        events = EventCapture.open();
    }

    @AfterEach
    void tearDown() {
        events.close();
        threads.shutdownNow();
        secondPool.close();
        fx.close();
    }

    private List<Watcher> twoWatchers(WatcherConfig config) {
        AdvisoryTimer.Jitter jitter = (min, max) -> min == 0 ? 1800 : 30;
        return List.of(WatcherDaemon.create(fx.ds, config, clock, jitter, null),
                WatcherDaemon.create(secondPool, config, clock, jitter, null));
    }

    /** Both Watchers poll at the same moment, {@code times} times each. */
    private void pollTogether(List<Watcher> watchers, int times) throws Exception {
        List<Future<Object>> polls = new ArrayList<>();
        for (Watcher w : watchers) {
            polls.add(threads.submit((Callable<Object>) () -> {
                for (int i = 0; i < times; i++) {
                    w.poll();
                }
                return null;
            }));
        }
        for (Future<Object> f : polls) {
            f.get();
        }
    }

    private List<EventCapture.Event> named(String event, String trigger) {
        return events.named(event).stream().filter(e -> trigger.equals(e.get("trigger"))).toList();
    }

    @Test
    void aPromotionRunToReadyIsSampledOnceForItsSlotAndOnceForItsModelWhileTwoWatchersPoll() throws Exception {
        fx.engine.provisionPage(List.of("i_str_01"));
        ModelDefinition m = fx.model(1, "m", new FieldSpec("sku", DeclaredType.STRING, false));
        for (int i = 0; i < 3; i++) {
            fx.write(1, m, Map.of("sku", "s" + i));
        }
        List<Watcher> watchers = twoWatchers(WatcherConfig.defaults().withCapacityThreshold(0.0));
        fx.engine.promoteFieldToFilterable(1, m.fieldId("sku"));
        pollTogether(watchers, 2);
        assertThat(named("cardinality_sampled", "post_backfill")).as("nothing before the slot is ready").isEmpty();

        fx.runBackfills();
        long slot = fx.count("SELECT id FROM stardust_slot_assignments WHERE field_id = ? AND status = 'ready'",
                m.fieldId("sku"));
        pollTogether(watchers, 3);

        assertThat(named("cardinality_sampled", "post_backfill")).singleElement().satisfies(e -> {
            assertThat(e.get("slot_assignment_id")).isEqualTo(slot);
            assertThat(e.get("row_count")).isEqualTo(3L);
            assertThat(e.get("distinct_values")).isEqualTo(3L);
        });
        assertThat(named("spread_sampled", "post_relocation")).singleElement().satisfies(e -> {
            assertThat(e.get("model_id")).isEqualTo(m.modelId());
            assertThat(e.get("live_slot_count")).isEqualTo(1);
        });
        assertThat(events.named("cardinality_sampled")).as("the periodic sample is not due yet").hasSize(1);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_advisory_schedule WHERE sample_kind <> 'periodic'")).isZero();
    }

    @Test
    void thePeriodicSamplesRunOncePerIntervalAcrossTwoWatchers() throws Exception {
        fx.engine.provisionPage(List.of("i_str_01"));
        ModelDefinition m = fx.model(1, "m", new FieldSpec("a", DeclaredType.STRING, true));
        fx.engine.reserveSlot(m.fieldId("a")).orElseThrow();
        List<Watcher> watchers = twoWatchers(WatcherConfig.defaults().withCapacityThreshold(0.0).withCardinality(3600, 60));

        pollTogether(watchers, 1);
        assertThat(events.named("cardinality_sampled")).as("the fleet's first poll only schedules").isEmpty();
        now.addAndGet(1799);
        pollTogether(watchers, 2);
        assertThat(events.named("cardinality_sampled")).isEmpty();
        now.addAndGet(1);
        pollTogether(watchers, 2);
        assertThat(named("cardinality_sampled", "periodic")).hasSize(1);
        assertThat(named("spread_sampled", "periodic")).hasSize(1);
        now.addAndGet(3629);
        pollTogether(watchers, 2);
        assertThat(named("cardinality_sampled", "periodic")).as("interval + jitter (30) not over yet").hasSize(1);
        now.addAndGet(1);
        pollTogether(watchers, 2);
        assertThat(named("cardinality_sampled", "periodic")).hasSize(2);
        assertThat(named("spread_sampled", "periodic")).hasSize(2);
    }

    @Test
    void aOneShotSampleWhoseWatcherDiedBeforeFinishingIsClaimedAgainWhenTheLeaseEnds() {
        SampleSchedule first = schedule(fx.ds);
        SampleSchedule second = schedule(secondPool);
        request(7, 3);

        assertThat(first.claimOneShots()).extracting(SampleSchedule.Claim::kind).containsExactly("cardinality:7", "spread:3");
        assertThat(second.claimOneShots()).as("claimed by the first").isEmpty();
        now.addAndGet(SampleSchedule.CLAIM_LEASE_SECONDS - 1);
        assertThat(second.claimOneShots()).isEmpty();
        now.addAndGet(1);
        List<SampleSchedule.Claim> again = second.claimOneShots();
        assertThat(again).extracting(SampleSchedule.Claim::slotAssignmentId).containsExactly(7L, null);
        assertThat(again).extracting(SampleSchedule.Claim::modelId).containsExactly(null, 3);
        again.forEach(second::done);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_advisory_schedule")).isZero();
    }

    @Test
    void aPromotionWhileItsModelsSpreadSampleRunsLeavesTheSampleDueAgain() {
        SampleSchedule watcher = schedule(fx.ds);
        request(7, 3);
        List<SampleSchedule.Claim> running = watcher.claimOneShots();

        request(8, 3);
        running.forEach(watcher::done);

        assertThat(fx.rows("SELECT sample_kind FROM stardust_advisory_schedule ORDER BY sample_kind"))
                .containsExactly(List.of("cardinality:8"), List.of("spread:3"));
        assertThat(watcher.claimOneShots()).extracting(SampleSchedule.Claim::kind)
                .containsExactly("cardinality:8", "spread:3");
    }

    private SampleSchedule schedule(javax.sql.DataSource ds) {
        return new SampleSchedule(ds, new AdvisoryTimer(3600, 0, (min, max) -> max), clock,
                WorkerIdentity.ofThisProcess());
    }

    private void request(long slot, int model) {
        io.stardust.engine.db.Tx.withConnection(fx.ds, c -> {
            AdvisorySchedule.requestPostPromotion(c, slot, model,
                    LocalDateTime.ofEpochSecond(now.get(), 0, ZoneOffset.UTC));
            return null;
        });
    }
}
