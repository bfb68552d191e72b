package io.stardust.reconciler;

import io.stardust.EngineFixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Reconciler workers, each with its own connection pool, drain one queue concurrently. A trigger on the page
 * table records every slot row a committed transaction wrote, with the writing session's connection id, so the
 * test sees both that every row was reconciled exactly once and that both workers did part of the work.
 */
@ExtendWith(MySqlExtension.class)
class MultiWorkerTest {
    private static final int ENTRIES = 3000;

    private final TestDatabase db;
    private EngineFixture fx;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    MultiWorkerTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        pools.forEach(HikariDataSource::close);
        fx.close();
    }

    @Test
    void twoWorkersOnOneQueueReconcileEveryRowExactlyOnce() throws Exception {
        ModelDefinition model = fx.model(1, "item", new FieldSpec("sku", DeclaredType.STRING, true));
        List<Long> ids = fx.writeMany(1, model, "sku", ENTRIES);
        // every queued entry has one queue row; a few get a second one, as an update racing the first would
        fx.exec("INSERT INTO stardust_sync_queue (entry_id, created_at) SELECT id, UTC_TIMESTAMP() FROM entry_data"
                + " WHERE MOD(id, 100) = 0");
        long queued = fx.count("SELECT COUNT(*) FROM stardust_sync_queue");
        fx.engine.ensureSlots(1, model.modelId());
        fx.exec("CREATE TABLE reconciled (n BIGINT AUTO_INCREMENT PRIMARY KEY, entry_id BIGINT NOT NULL,"
                        + " worker_connection BIGINT NOT NULL)",
                "CREATE TRIGGER audit_insert AFTER INSERT ON entry_slots_page_1 FOR EACH ROW"
                        + " INSERT INTO reconciled (entry_id, worker_connection) VALUES (NEW.entry_id, CONNECTION_ID())",
                "CREATE TRIGGER audit_update AFTER UPDATE ON entry_slots_page_1 FOR EACH ROW"
                        + " INSERT INTO reconciled (entry_id, worker_connection) VALUES (NEW.entry_id, CONNECTION_ID())");

        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<List<Long>>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            HikariDataSource pool = fx.pool(2, "worker-" + w);
            pools.add(pool);
            Reconciler reconciler = ReconcilerDaemon.create(pool, ReconcilerConfig.defaults().withChunkSize(25),
                    Clock.systemUTC(), Sleeper.system(), null);
            workers.add(threads.submit(worker(reconciler, pool, start)));
        }
        List<Long> connectionsOf0 = workers.get(0).get(5, TimeUnit.MINUTES);
        List<Long> connectionsOf1 = workers.get(1).get(5, TimeUnit.MINUTES);

        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM reconciled")).as("one committed slot write per queue row")
                .isEqualTo(queued);
        assertThat(fx.count("SELECT COUNT(DISTINCT entry_id) FROM reconciled")).isEqualTo(ENTRIES);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 IS NOT NULL")).isEqualTo(ENTRIES);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq")).isZero();
        assertThat(fx.rows("SELECT entry_id, i_str_01 FROM entry_slots_page_1 WHERE entry_id = ?", ids.get(1234)))
                .containsExactly(List.of(ids.get(1234), "v1234"));
        long byWorker0 = countBy(connectionsOf0);
        long byWorker1 = countBy(connectionsOf1);
        assertThat(byWorker0 + byWorker1).isEqualTo(queued);
        assertThat(byWorker0).as("worker 0 did part of the work").isPositive();
        assertThat(byWorker1).as("worker 1 did part of the work").isPositive();
    }

    private long countBy(List<Long> connections) {
        if (connections.isEmpty()) {
            return 0;
        }
        return fx.count("SELECT COUNT(*) FROM reconciled WHERE worker_connection IN ("
                + String.join(",", connections.stream().map(String::valueOf).toList()) + ")");
    }

    /** Ticks until the queue is empty; returns the connection ids of the worker's pool. */
    private static Callable<List<Long>> worker(Reconciler reconciler, HikariDataSource pool, CyclicBarrier start) {
        return () -> {
            List<Long> connections = new ArrayList<>();
            // hold both pooled connections once so their ids are known; the pool keeps them
            try (var c1 = pool.getConnection(); var c2 = pool.getConnection()) {
                for (var c : List.of(c1, c2)) {
                    try (var rs = c.createStatement().executeQuery("SELECT CONNECTION_ID()")) {
                        rs.next();
                        connections.add(rs.getLong(1));
                    }
                }
            }
            start.await();
            while (reconciler.tick() != TickOutcome.IDLE) {
                Thread.onSpinWait();
            }
            return connections;
        };
    }
}
