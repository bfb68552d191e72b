package io.stardust.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provisioning and advisory timing [pure]: upstream's ProvisioningPlannerTest, SpreadFormulaTest and the timer. */
class ProvisioningPlannerTest {

    private static CapacitySnapshot capacity(Map<String, FamilyCapacity> families) {
        return new CapacitySnapshot(families, families.isEmpty() ? 0 : 1);
    }

    /** One page: every slot indexed or not, {@code used} slots of each family taken. */
    private static CapacitySnapshot onePage(boolean indexed, int usedPerFamily) {
        int[] caps = {25, 15, 10, 10};
        String[] fams = {"str", "int", "num", "dt"};
        Map<String, FamilyCapacity> m = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            int free = caps[i] - usedPerFamily;
            m.put(fams[i], new FamilyCapacity(caps[i], free, indexed ? caps[i] : 0, indexed ? free : 0));
        }
        return capacity(m);
    }

    @Test
    void aFreshDatabaseIsLowCapacityWithAHeadroomPage() {
        ProvisioningPlan p = ProvisioningPlanner.plan(capacity(Map.of()), Map.of(), 0.20);

        assertThat(p.trigger()).isEqualTo("low_capacity");
        assertThat(p.indexedColumns()).isEmpty();
        assertThat(p.globalFreeRatio()).isZero();
        assertThat(p.usableFreeRatio()).as("usable = global when nothing waits").isZero();
    }

    @Test
    void aStarvedFamilyProvisionsDespiteAHealthyRatioAndEvenAtThresholdZero() {
        ProvisioningPlan p = ProvisioningPlanner.plan(onePage(false, 0), Map.of("dt", 1), 0.0);

        assertThat(p.trigger()).isEqualTo("unsatisfiable_demand");
        assertThat(p.starvedFamilies()).containsExactly("dt");
        assertThat(p.indexedColumns()).containsExactly("i_dt_01");
        assertThat(p.globalFreeRatio()).isEqualTo(1.0);
        assertThat(p.usableFreeRatio()).isZero();
    }

    @Test
    void demandForMoreThanAFamilyHoldsTakesTheWholeFamily() {
        assertThat(ProvisioningPlanner.plan(capacity(Map.of()), Map.of("str", 300), 0.2).indexedColumns())
                .hasSize(25).startsWith("i_str_01").endsWith("i_str_25");
    }

    @Test
    void familiesAreAlphabeticalAndEachGetsWhatItLacks() {
        assertThat(ProvisioningPlanner.plan(capacity(Map.of()), Map.of("str", 2, "dt", 1), 0.2).indexedColumns())
                .containsExactly("i_dt_01", "i_str_01", "i_str_02");
    }

    @Test
    void lowCapacityWithASatisfiableWaiterIndexesOneColumnOfItsFamily() {
        Map<String, FamilyCapacity> m = new java.util.HashMap<>();
        m.put("int", new FamilyCapacity(100, 5, 100, 5));
        m.put("str", new FamilyCapacity(100, 0, 100, 0));
        ProvisioningPlan p = ProvisioningPlanner.plan(capacity(m), Map.of("int", 1), 0.2);

        assertThat(p.trigger()).isEqualTo("low_capacity");
        assertThat(p.indexedColumns()).containsExactly("i_int_01");
        assertThat(p.usableFree()).isEqualTo(5);
        assertThat(p.usableTotal()).isEqualTo(100);
    }

    @Test
    void aSatisfiableWaiterWithAHealthyRatioDoesNotProvision() {
        ProvisioningPlan p = ProvisioningPlanner.plan(onePage(true, 1), Map.of("str", 1), 0.2);

        assertThat(p.trigger()).isEqualTo("none");
        assertThat(p.provision()).isFalse();
        assertThat(p.pendingWaiters()).isEqualTo(1);
    }

    @Test
    void theRatioThresholdIsStrict() {
        Map<String, FamilyCapacity> m = Map.of("str", new FamilyCapacity(10, 2, 0, 0));
        assertThat(ProvisioningPlanner.plan(capacity(m), Map.of(), 0.2).trigger()).isEqualTo("none");
        assertThat(ProvisioningPlanner.plan(capacity(m), Map.of(), 0.21).trigger()).isEqualTo("low_capacity");
    }

    @Test
    void spreadMinimumIsAMaximumNotASum() {
        assertThat(SpreadMath.theoreticalMinPages(Map.of("str", 30, "int", 5))).isEqualTo(2);
        assertThat(SpreadMath.theoreticalMinPages(Map.of("str", 25, "int", 15, "num", 10, "dt", 10))).isEqualTo(1);
        assertThat(SpreadMath.theoreticalMinPages(Map.of("str", 26))).isEqualTo(2);
        assertThat(SpreadMath.theoreticalMinPages(Map.of("dt", 11, "bogus", 99))).isEqualTo(2);
        assertThat(SpreadMath.theoreticalMinPages(Map.of())).isZero();
        assertThat(SpreadMath.excessPages(3, 1)).isEqualTo(2);
    }

    @Test
    void theAdvisoryTimerStartsAtARandomPhaseThenFollowsTheIntervalWithFreshJitter() {
        List<long[]> asked = new ArrayList<>();
        long[] answers = {500, -30, 40};
        int[] next = {0};
        AdvisoryTimer timer = new AdvisoryTimer(1000, 100, (min, max) -> {
            asked.add(new long[] {min, max});
            return answers[next[0]++];
        });

        assertThat(timer.firstDue(10_000)).as("a random phase within one interval").isEqualTo(10_500);
        assertThat(timer.nextDue(10_500)).isEqualTo(10_500 + 1000 - 30);
        assertThat(timer.nextDue(11_470)).isEqualTo(11_470 + 1000 + 40);
        assertThat(asked).extracting(a -> a[0] + ".." + a[1]).containsExactly("0..1000", "-100..100", "-100..100");
    }

    @Test
    void aZeroIntervalMakesEverySampleDueAtOnceAndJitterIsCappedByTheInterval() {
        AdvisoryTimer timer = new AdvisoryTimer(0, 100, (min, max) -> {
            throw new AssertionError("no jitter with a zero interval");
        });
        assertThat(timer.firstDue(5)).isEqualTo(5);
        assertThat(timer.nextDue(5)).isEqualTo(5);
        assertThat(WatcherConfig.defaults().effectiveJitterSeconds()).isEqualTo(8640);
        assertThat(WatcherConfig.defaults().withCardinality(100, 5).effectiveJitterSeconds()).isEqualTo(5);
    }
}
