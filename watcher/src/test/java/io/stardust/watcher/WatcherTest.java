package io.stardust.watcher;

import io.stardust.EngineFixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Watcher against MySQL: upstream's WatcherProvisionTest, WatcherDemandDrivenProvisionTest,
 * WatcherLockContentionTest, PendingDemandReaderTest and UsableCapacityTest.
 */
@ExtendWith(MySqlExtension.class)
class WatcherTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;

    WatcherTest(TestDatabase db) {
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

    private Watcher watcher(WatcherConfig config) {
        return WatcherDaemon.create(fx.ds, config, Clock.systemUTC(), (min, max) -> max, null);
    }

    private Watcher watcher() {
        return watcher(WatcherConfig.defaults());
    }

    private EventCapture.Event last(String name) {
        List<EventCapture.Event> named = events.named(name);
        return named.get(named.size() - 1);
    }

    private List<String> indexedColumns(int page) {
        return fx.rows("SELECT DISTINCT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND TABLE_NAME = ? AND COLUMN_NAME LIKE 'i\\_%' ORDER BY COLUMN_NAME", "entry_slots_page_" + page)
                .stream().map(r -> (String) r.get(0)).toList();
    }

    @Test
    void provisionsPageOneOnAnEmptyDatabaseThenDoesNothingAboveTheThreshold() throws Exception {
        Watcher w = watcher();

        assertThat(w.poll()).isEqualTo("provisioned");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE page_id = 1 AND status = 'free'")).isEqualTo(60);
        assertThat(fx.engine.schemaVersion()).as("the page and its bump, one transaction").isEqualTo(1);
        assertThat(indexedColumns(1)).as("a pure headroom page").isEmpty();
        assertThat(fx.count("SELECT layout_version FROM stardust_pages WHERE id = 1")).as("new pages get layout v2").isEqualTo(2);
        EventCapture.Event started = last("poll_started");
        assertThat(started.source()).isEqualTo("watcher");
        assertThat(started.get("pages_inspected")).isEqualTo(0);
        assertThat(started.get("free_ratio")).isEqualTo(0.0);
        assertThat(started.get("pending_demand")).isEqualTo(Map.of());
        assertThat(started.get("starved_families")).isEqualTo(List.of());
        assertThat(last("provision_complete").get("page_id")).isEqualTo(1);
        assertThat(last("poll_complete").fields()).containsEntry("action", "provisioned").containsEntry("trigger", "low_capacity");
        assertThat(events.names()).containsSubsequence("poll_started", "provision_started", "page_provisioned",
                "provision_complete", "poll_complete");

        assertThat(w.poll()).isEqualTo("no_action");
        assertThat(last("poll_started").get("pages_inspected")).isEqualTo(1);
        assertThat(last("poll_started").get("free_ratio")).isEqualTo(1.0);
        assertThat(last("poll_complete").fields()).containsEntry("action", "no_action").containsEntry("trigger", "none");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).isEqualTo(1);
    }

    @Test
    void aStarvedFamilyGetsAnIndexedPageDespiteAHealthyRatioAndOnlyOnce() throws Exception {
        fx.engine.provisionPage(List.of()); // plenty of free but unindexed capacity
        ModelDefinition m = fx.model(1, "m", new FieldSpec("when", DeclaredType.DATETIME, true),
                new FieldSpec("plain", DeclaredType.STRING, false));
        Watcher w = watcher();

        assertThat(w.poll()).isEqualTo("provisioned");
        assertThat(indexedColumns(2)).containsExactly("i_dt_01");
        EventCapture.Event started = last("provision_started");
        assertThat(started.get("trigger")).isEqualTo("unsatisfiable_demand");
        assertThat(started.get("indexed_columns")).isEqualTo(List.of("i_dt_01"));
        assertThat(started.get("pending_demand")).isEqualTo(Map.of("dt", 1));
        assertThat(last("provision_complete").get("indexed_columns")).isEqualTo(List.of("i_dt_01"));
        EventCapture.Event poll = last("poll_started");
        assertThat(poll.get("starved_families")).isEqualTo(List.of("dt"));
        assertThat(poll.get("pending_waiters")).isEqualTo(1);
        assertThat(poll.get("usable_free_slots")).isEqualTo(0L);
        assertThat(poll.get("usable_total_slots")).isEqualTo(0L);
        assertThat(poll.get("free_ratio")).isEqualTo(1.0);

        assertThat(w.poll()).as("one indexed free dt slot satisfies the waiter").isEqualTo("no_action");
        assertThat(last("poll_started").get("usable_free_slots")).isEqualTo(1L);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).isEqualTo(2);
        assertThat(m.fieldId("when")).isPositive();
    }

    @Test
    void anotherSessionHoldingTheProvisionLockMakesTheWatcherReportContentionAndNotProvision() throws Exception {
        try (HikariDataSource pool = fx.pool(1, "sibling"); Connection sibling = pool.getConnection();
             Statement s = sibling.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT GET_LOCK(CONCAT('stardust_page_provision_', LEFT(SHA1(DATABASE()), 12)), 0)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            Watcher w = watcher(WatcherConfig.defaults().withProvisionLockTimeoutSeconds(1));

            assertThat(w.poll()).isEqualTo("lock_contention");

            assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).isZero();
            assertThat(fx.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME LIKE 'entry_slots_page_%'")).isZero();
            assertThat(fx.engine.schemaVersion()).isZero();
            EventCapture.Event contention = last("lock_contention");
            assertThat(contention.level()).isEqualTo("WARN");
            assertThat(contention.source()).isEqualTo("watcher");
            assertThat(contention.get("correlation_id")).isEqualTo(last("poll_started").get("correlation_id"));
            assertThat(String.valueOf(contention.get("context_message"))).contains("another session holds the lock");
            assertThat(events.named("provision_started")).isEmpty();
            assertThat(last("poll_complete").get("action")).isEqualTo("lock_contention");

            s.executeQuery("SELECT RELEASE_LOCK(CONCAT('stardust_page_provision_', LEFT(SHA1(DATABASE()), 12)))").close();
        }
        assertThat(watcher().poll()).as("free again: provisions").isEqualTo("provisioned");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).isEqualTo(1);
    }

    @Test
    void pendingDemandCountsFilterableFieldsWithoutALiveSlotPerFamily() {
        RegistryReads reads = new RegistryReads(fx.ds);
        assertThat(reads.pendingDemand()).isEmpty();
        fx.engine.provisionPage(List.of("i_str_01"));
        ModelDefinition m = fx.model(1, "m", new FieldSpec("a", DeclaredType.STRING, true),
                new FieldSpec("b", DeclaredType.STRING, true), new FieldSpec("n", DeclaredType.INT, true),
                new FieldSpec("x", DeclaredType.NUMERIC, true), new FieldSpec("t", DeclaredType.DATETIME, true),
                new FieldSpec("json", DeclaredType.STRING, false));
        fx.engine.reserveSlot(m.fieldId("a")).orElseThrow();
        // b holds only a tombstoned slot: still demand
        fx.engine.reserveSlot(m.fieldId("b")).orElseThrow();
        fx.exec("UPDATE stardust_slot_assignments SET status = 'tombstoned', field_id = NULL WHERE field_id = " + m.fieldId("b"));
        // n holds an unindexed live slot: not demand
        fx.engine.reserveSlot(m.fieldId("n")).orElseThrow();

        assertThat(reads.pendingDemand()).containsExactly(Map.entry("dt", 1), Map.entry("num", 1), Map.entry("str", 1));
    }

    @Test
    void usableCapacityCountsOnlyIndexedColumnsAndReservingUsesUpIndexedFree() {
        RegistryReads reads = new RegistryReads(fx.ds);
        CapacitySnapshot empty = reads.capacity();
        assertThat(empty.totalSlots()).isZero();
        assertThat(empty.pagesInspected()).isZero();
        fx.engine.provisionPage(List.of("i_str_01", "i_str_02", "i_int_01"));
        fx.engine.provisionPage(List.of());

        CapacitySnapshot before = reads.capacity();
        assertThat(before.family("str")).isEqualTo(new FamilyCapacity(50, 50, 2, 2));
        assertThat(before.family("int")).isEqualTo(new FamilyCapacity(30, 30, 1, 1));
        assertThat(before.family("dt")).isEqualTo(new FamilyCapacity(20, 20, 0, 0));
        assertThat(before.pagesInspected()).isEqualTo(2);

        ModelDefinition m = fx.model(1, "m", new FieldSpec("a", DeclaredType.STRING, true));
        fx.engine.reserveSlot(m.fieldId("a")).orElseThrow(); // lands on i_str_01 (oldest free)
        CapacitySnapshot after = reads.capacity();
        assertThat(after.family("str")).isEqualTo(new FamilyCapacity(50, 49, 2, 1));
        assertThat(after.totalSlots()).isEqualTo(120);
        assertThat(after.freeSlots()).isEqualTo(119);
    }
}
