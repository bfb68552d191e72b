package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.Sql;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The retype backfill as the Reconciler's work source: events, Q16 failures, SKIP LOCKED claims, lock retries. */
@ExtendWith(MySqlExtension.class)
class RetypeBackfillSourceTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;
    private ModelDefinition m;

    RetypeBackfillSourceTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true),
                new FieldSpec("label", DeclaredType.STRING, false));
        fx.engine.provisionPage(List.of("i_int_01", "i_str_01"));
        events = EventCapture.open();
    }

    @AfterEach
    void tearDown() {
        events.close();
        fx.close();
    }

    private Reconciler reconciler(javax.sql.DataSource ds, ReconcilerConfig config) {
        return ReconcilerDaemon.create(ds, config, Clock.systemUTC(), Sleeper.system(), null);
    }

    private List<EventCapture.Event> named(String name) {
        return events.named(name).stream().filter(e -> Reconciler.SOURCE.equals(e.source())).toList();
    }

    @Test
    void aRunningReconcilerBackfillsARetypeChunkByChunkAndLogsEachNullWithItsReason() throws Exception {
        long good = fx.write(1, m, Map.of("code", "42"));
        long bad = fx.write(1, m, Map.of("code", "hello"));
        fx.write(1, m, Map.of("code", "7"));
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        Reconciler r = reconciler(fx.ds, ReconcilerConfig.defaults().withChunkSize(2));

        while (r.tick() == TickOutcome.WORK_DONE) {
            // one chunk per tick until idle
        }

        assertThat(named("chunk_claimed")).extracting(e -> e.get("queue")).containsOnly("retype_backfill");
        assertThat(named("chunk_complete")).extracting(e -> e.get("final_chunk")).containsExactly(false, true);
        EventCapture.Event nul = named("coercion_null").get(0);
        assertThat(nul.get("entry_id")).isEqualTo(bad);
        assertThat(nul.get("reason")).isEqualTo("unparseable");
        assertThat(nul.get("source_type")).isEqualTo("string");
        assertThat(nul.get("target_type")).isEqualTo("int");
        assertThat(fx.rows("SELECT status, rows_processed, coercion_nulls FROM backfill_checkpoints"))
                .containsExactly(List.of("completed", 3L, 1L));
        assertThat(fx.rows("SELECT status FROM stardust_slot_assignments WHERE field_id = ?", m.fieldId("code")))
                .containsExactly(List.of("ready"));
        assertThat(good).isPositive();
    }

    @Test
    void aCheckpointThatCannotProceedIsMarkedFailedAndTheReconcilerKeepsWorking() throws Exception {
        fx.write(1, m, Map.of("label", "x"));
        fx.engine.promoteFieldToFilterable(1, m.fieldId("label"));
        fx.exec("UPDATE stardust_pages SET table_name = 'entry_slots_page_99' WHERE id = 2"); // its page vanished
        Reconciler r = reconciler(fx.ds, ReconcilerConfig.defaults());

        assertThat(r.tick()).isEqualTo(TickOutcome.WORK_DONE);

        assertThat(named("chunk_partial")).singleElement().satisfies(e -> {
            assertThat(e.get("queue")).isEqualTo("retype_backfill");
            assertThat((String) e.get("failed_reason")).contains("entry_slots_page_99");
        });
        assertThat(fx.rows("SELECT status FROM backfill_checkpoints")).containsExactly(List.of("failed"));
        assertThat(r.tick()).isEqualTo(TickOutcome.IDLE);
    }

    @Test
    void aCheckpointLockedByAnotherWorkerIsSkippedAndTheNextFieldIsBackfilled() throws Exception {
        fx.write(1, m, Map.of("code", "1", "label", "a"));
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        fx.engine.promoteFieldToFilterable(1, m.fieldId("label"));
        try (Connection sibling = fx.ds.getConnection()) {
            sibling.setAutoCommit(false);
            Sql.update(sibling, "UPDATE backfill_checkpoints SET updated_at = updated_at WHERE job_name = ?",
                    "retype_field_" + m.fieldId("code"));

            assertThat(reconciler(fx.ds, ReconcilerConfig.defaults()).tick()).isEqualTo(TickOutcome.WORK_DONE);

            assertThat(named("chunk_complete")).singleElement().satisfies(e ->
                    assertThat(e.get("field_id")).isEqualTo(m.fieldId("label")));
            sibling.rollback();
        }
    }

    @Test
    void aLockWaitTimeoutIsRetriedWithinTheBudgetThenPropagates() throws Exception {
        long entry = fx.write(1, m, Map.of("code", "5"));
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "sessionVariables=innodb_lock_wait_timeout=1";
        try (HikariDataSource impatient = Pools.open(url, db.user(), db.password(), 2, "impatient");
             Connection sibling = fx.ds.getConnection()) {
            sibling.setAutoCommit(false);
            Sql.update(sibling, "UPDATE entry_data SET updated_at = updated_at WHERE id = ?", entry);
            Reconciler r = reconciler(impatient, ReconcilerConfig.defaults().withLockRetryBudget(1));

            assertThatThrownBy(r::tick).satisfies(e -> assertThat(Sql.errorCode(e)).isEqualTo(Sql.ER_LOCK_WAIT_TIMEOUT));
            assertThat(named("deadlock_retry")).singleElement().satisfies(e -> {
                assertThat(e.get("queue")).isEqualTo("retype_backfill");
                assertThat(e.get("attempt")).isEqualTo(1);
            });
            sibling.rollback();
            assertThat(r.tick()).isEqualTo(TickOutcome.WORK_DONE);
        }
        assertThat(fx.rows("SELECT status FROM backfill_checkpoints")).containsExactly(List.of("completed"));
    }
}
