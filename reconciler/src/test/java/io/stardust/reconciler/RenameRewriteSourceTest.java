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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class RenameRewriteSourceTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private EventCapture events;

    RenameRewriteSourceTest(TestDatabase db) {
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
    void aRunningReconcilerRewritesEveryPayloadOfARenamedFieldAndEndsTheRename() throws Exception {
        ModelDefinition m = fx.model(1, "m", new FieldSpec("old", DeclaredType.STRING, false));
        for (int i = 0; i < 3; i++) {
            fx.write(1, m, Map.of("old", "v" + i));
        }
        fx.engine.renameField(1, m.fieldId("old"), "new");
        Reconciler r = ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults().withChunkSize(2), Clock.systemUTC(),
                Sleeper.system(), null);

        while (r.tick() == TickOutcome.WORK_DONE) {
            // one chunk per tick until idle
        }

        assertThat(fx.rows("SELECT JSON_KEYS(fields) FROM entry_data")).containsOnly(List.of("[\"new\"]"));
        assertThat(fx.rows("SELECT name, previous_name FROM stardust_fields")).containsExactly(java.util.Arrays.asList("new", null));
        assertThat(events.named("chunk_complete")).filteredOn(e -> "rename_rewrite".equals(e.get("queue")))
                .extracting(e -> e.get("final_chunk")).containsExactly(false, true);
    }
}
