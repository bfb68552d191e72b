package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stardust.engine.db.Tx;
import io.stardust.engine.json.Json;
import io.stardust.engine.write.KeyConflictException;
import io.stardust.engine.write.KeyedWrites;
import io.stardust.engine.write.ModelRoutes;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two transactions writing keys at once: new keys take no locks, and a key created by both is one entry. */
@ExtendWith(MySqlExtension.class)
class KeyedWritesConcurrencyTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition company;

    KeyedWritesConcurrencyTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private List<KeyedWrites.Outcome> upsert(Connection c, String... keys) throws SQLException {
        ModelRoutes routes = ModelRoutes.load(c, 1, company.modelId());
        List<KeyedWrites.Op> ops = new java.util.ArrayList<>();
        for (String k : keys) {
            ops.add(KeyedWrites.upsert(routes, k, Json.mapper().valueToTree(Map.of("name", k))));
        }
        return KeyedWrites.apply(c, ops, LocalDateTime.now());
    }

    @Test
    void writersOfDifferentNewKeysDoNotWaitForEachOtherEvenWhenTheKeysInterleave() throws Exception {
        try (Connection a = fx.ds.getConnection()) {
            a.setAutoCommit(false);
            upsert(a, "k2", "k4", "k6"); // open: its keys, absent before, sit between the other writer's
            CompletableFuture<List<KeyedWrites.Outcome>> b = CompletableFuture.supplyAsync(
                    () -> Tx.inTransaction(fx.ds, c -> upsert(c, "k1", "k3", "k5", "k7")));
            // A liveness bound, not a timing: a gap lock would hold b until a ends (or the 50 s lock wait timeout).
            assertThat(b.get(20, TimeUnit.SECONDS)).extracting(KeyedWrites.Outcome::type).containsOnly("created");
            a.commit();
        }
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_entry_keys")).isEqualTo(7);
    }

    @Test
    void aKeyCreatedByAConcurrentTransactionFailsTheLaterOneWithARetryableConflictAndStaysOneEntry() throws Exception {
        CompletableFuture<List<KeyedWrites.Outcome>> b;
        try (Connection a = fx.ds.getConnection()) {
            a.setAutoCommit(false);
            upsert(a, "acme");
            b = CompletableFuture.supplyAsync(() -> Tx.inTransaction(fx.ds, c -> upsert(c, "acme")));
            await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                    "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'") == 1);
            a.commit();
        }
        CompletableFuture<List<KeyedWrites.Outcome>> later = b;
        assertThatThrownBy(() -> later.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> {
                    SQLException cause = io.stardust.engine.db.Sql.sqlCause(e);
                    assertThat((Object) cause).isInstanceOf(KeyConflictException.class);
                    assertThat(cause.getSQLState()).isEqualTo("40001");
                });
        // Run again, as the caller must: now the key exists and the write replaces its entry.
        List<KeyedWrites.Outcome> again = Tx.inTransaction(fx.ds, c -> upsert(c, "acme"));
        assertThat(again).extracting(KeyedWrites.Outcome::type).containsExactly("updated");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(1);
    }

    @Test
    void keysThatDifferOnlyInTrailingSpacesAreTheOneKeyRowMySqlComparesThemAs() {
        List<KeyedWrites.Outcome> outcomes = Tx.inTransaction(fx.ds, c -> upsert(c, "pad", "pad ", "pad  "));
        assertThat(outcomes).extracting(KeyedWrites.Outcome::type).containsExactly("created", "updated", "updated");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_entry_keys")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(1);
    }
}
