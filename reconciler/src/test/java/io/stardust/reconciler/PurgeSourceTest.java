package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class PurgeSourceTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;

    PurgeSourceTest(TestDatabase db) {
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
    void aRunningReconcilerPurgesADeletedFieldAndADeletedModelToTheEnd() throws Exception {
        ModelDefinition keep = fx.model(1, "keep", new FieldSpec("a", DeclaredType.STRING, false),
                new FieldSpec("gone", DeclaredType.STRING, false));
        ModelDefinition drop = fx.model(1, "drop", new FieldSpec("x", DeclaredType.STRING, false));
        for (int i = 0; i < 5; i++) {
            fx.write(1, keep, Map.of("a", "a" + i, "gone", "g" + i));
            fx.write(1, drop, Map.of("x", "x" + i));
        }
        fx.engine.deleteField(1, keep.fieldId("gone"));
        fx.engine.deleteModel(1, drop.modelId());
        Reconciler r = ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults().withChunkSize(2).withModelPurgeChunkSize(3),
                Clock.systemUTC(), Sleeper.system(), null);

        while (r.tick() == TickOutcome.WORK_DONE) {
            // until every source is idle
        }

        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE JSON_CONTAINS_PATH(fields, 'one', '$.gone')")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(5);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_models")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_fields")).isEqualTo(1);
        assertThat(events.named("chunk_complete")).filteredOn(e -> "field_purge".equals(e.get("queue")))
                .extracting(e -> e.get("final_chunk")).containsExactly(false, false, true);
        assertThat(events.named("chunk_complete")).filteredOn(e -> "model_purge".equals(e.get("queue")))
                .extracting(e -> e.get("final_chunk")).containsExactly(false, true);
    }
}
