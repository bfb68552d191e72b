package io.stardust.watcher;

import io.stardust.EngineFixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.SlotAssignment;
import io.stardust.engine.event.EventLog;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry samplers against MySQL: upstream's CardinalitySamplerTest, SpreadSamplerTest and
 * WatcherCardinalityJitterTest.
 */
@ExtendWith(MySqlExtension.class)
class RegistrySamplersTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;
    private final EventLog registry = new EventLog("registry");

    RegistrySamplersTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        events = EventCapture.open();
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    @Test
    void cardinalityIsSampledPerQueryableSlotForItsTenantAndLowFloorsAreFlagged() {
        fx.engine.provisionPage(List.of("i_str_01", "i_str_02"));
        ModelDefinition m = fx.model(1, "m", new FieldSpec("sku", DeclaredType.STRING, true),
                new FieldSpec("colour", DeclaredType.STRING, true));
        SlotAssignment sku = fx.engine.reserveSlot(m.fieldId("sku")).orElseThrow();
        SlotAssignment colour = fx.engine.reserveSlot(m.fieldId("colour")).orElseThrow();
        for (int i = 0; i < 40; i++) {
            fx.write(1, m, Map.of("sku", "sku-" + i, "colour", i % 2 == 0 ? "red" : "blue"));
        }
        ModelDefinition other = fx.model(2, "other", new FieldSpec("x", DeclaredType.STRING, false));
        fx.write(2, other, Map.of("x", "not on a slot")); // another tenant with no page row: never sampled
        events.clear();

        int sampled = new CardinalitySampler(fx.ds, WatcherConfig.defaults(), registry).samplePeriodic();

        assertThat(sampled).isEqualTo(2);
        List<EventCapture.Event> samples = events.named("cardinality_sampled");
        assertThat(samples).hasSize(2).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("registry");
            assertThat(e.get("trigger")).isEqualTo("periodic");
            assertThat(e.get("tenant_id")).isEqualTo(1L);
            assertThat(e.get("row_count")).isEqualTo(40L);
            assertThat(e.get("page_id")).isEqualTo(1);
        });
        assertThat(samples).extracting(e -> e.get("correlation_id")).containsOnly(samples.get(0).get("correlation_id"));
        assertThat(samples.get(0).fields()).containsEntry("slot_assignment_id", sku.slotAssignmentId())
                .containsEntry("field_id", m.fieldId("sku")).containsEntry("slot_column", "i_str_01")
                .containsEntry("distinct_values", 40L).containsEntry("selectivity", 1.0);
        assertThat(samples.get(1).fields()).containsEntry("slot_assignment_id", colour.slotAssignmentId())
                .containsEntry("distinct_values", 2L).containsEntry("selectivity", 0.05);
        assertThat(events.named("low_cardinality_index")).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo("WARN");
            assertThat(e.get("slot_column")).isEqualTo("i_str_02");
            assertThat(e.get("threshold_violated")).isEqualTo("distinct_floor");
        });

        events.clear();
        WatcherConfig strict = WatcherConfig.defaults().withCardinalityFloors(0.10, 10, 10);
        new CardinalitySampler(fx.ds, strict, registry).sampleSlot(colour.slotAssignmentId());
        assertThat(events.named("cardinality_sampled")).singleElement()
                .satisfies(e -> assertThat(e.get("trigger")).isEqualTo("post_backfill"));
        assertThat(events.named("low_cardinality_index").get(0).get("threshold_violated"))
                .isEqualTo("selectivity,distinct_floor");
    }

    @Test
    void spreadComparesPagesWithTheMinimumAndFlagsOnlyBeyondTheThreshold() {
        ModelDefinition m = fx.model(1, "wide", new FieldSpec("a", DeclaredType.STRING, true),
                new FieldSpec("b", DeclaredType.STRING, true), new FieldSpec("c", DeclaredType.STRING, true),
                new FieldSpec("grand", DeclaredType.STRING, true), new FieldSpec("gone", DeclaredType.STRING, true));
        ModelDefinition single = fx.model(2, "single", new FieldSpec("s", DeclaredType.STRING, true));
        for (int page = 1; page <= 3; page++) {
            fx.engine.provisionPage(List.of());
        }
        // one page per field: 3 pages for 3 str slots (the reserver's model affinity would co-locate them)
        List<String> fields = List.of("a", "b", "c");
        for (int i = 0; i < 3; i++) {
            fx.exec("UPDATE stardust_slot_assignments SET status = 'assigned', field_id = " + m.fieldId(fields.get(i))
                    + " WHERE page_id = " + (i + 1) + " AND slot_column = 'i_str_01'");
        }
        fx.engine.reserveSlot(m.fieldId("grand")).orElseThrow();
        fx.exec("UPDATE stardust_fields SET is_filterable = 0 WHERE id = " + m.fieldId("grand")); // grandfathered
        fx.engine.reserveSlot(m.fieldId("gone")).orElseThrow();
        fx.exec("UPDATE stardust_slot_assignments SET status = 'tombstoned', field_id = NULL WHERE field_id = " + m.fieldId("gone"));
        fx.engine.reserveSlot(single.fieldId("s")).orElseThrow();
        events.clear();

        List<SpreadSampler.Sample> samples = new SpreadSampler(fx.ds, 2, registry).sample("on_demand", null, null);

        assertThat(samples).containsExactly(new SpreadSampler.Sample(1, m.modelId(), 3, 1, 2, 3),
                new SpreadSampler.Sample(2, single.modelId(), 1, 1, 0, 1));
        assertThat(events.named("spread_sampled")).hasSize(2).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("registry");
            assertThat(e.get("trigger")).isEqualTo("on_demand");
        });
        assertThat(events.named("high_spread_model")).singleElement().satisfies(e -> {
            assertThat(e.get("model_id")).isEqualTo(m.modelId());
            assertThat(e.get("excess_pages")).isEqualTo(2);
            assertThat(e.get("threshold")).isEqualTo(2);
        });
        assertThat(new SpreadSampler(fx.ds, 3, registry).sample("periodic", 1L, m.modelId())).hasSize(1);
        assertThat(events.named("high_spread_model")).as("threshold 3 not reached").hasSize(1);
        assertThat(new SpreadSampler(fx.ds, 2, registry).sample("periodic", 3L, null)).isEmpty();
    }

    @Test
    void oneAdvisoryTimerFiresBothSamplersAtARandomPhaseThenEveryInterval() throws Exception {
        fx.engine.provisionPage(List.of("i_str_01"));
        ModelDefinition m = fx.model(1, "m", new FieldSpec("a", DeclaredType.STRING, true));
        fx.engine.reserveSlot(m.fieldId("a")).orElseThrow();
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
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
        Watcher w = WatcherDaemon.create(fx.ds, WatcherConfig.defaults().withCardinality(3600, 60), clock,
                (min, max) -> min == 0 ? 1800 : 30, null);

        w.poll();
        assertThat(events.named("cardinality_sampled")).as("the first poll only schedules").isEmpty();
        now.addAndGet(1799);
        w.poll();
        assertThat(events.named("cardinality_sampled")).isEmpty();
        now.addAndGet(1);
        w.poll();
        assertThat(events.named("cardinality_sampled")).hasSize(1);
        assertThat(events.named("spread_sampled")).singleElement().satisfies(e -> assertThat(e.get("trigger")).isEqualTo("periodic"));
        now.addAndGet(3629);
        w.poll();
        assertThat(events.named("cardinality_sampled")).as("interval + jitter (30) not over yet").hasSize(1);
        now.addAndGet(1);
        w.poll();
        assertThat(events.named("cardinality_sampled")).hasSize(2);
        assertThat(events.named("spread_sampled")).hasSize(2);
    }
}
