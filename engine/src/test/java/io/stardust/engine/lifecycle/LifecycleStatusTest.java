package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.LifecycleCheckpoint;
import io.stardust.LifecycleCheckpoint.Operation;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.UtcClock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code lifecycleStatus}: every checkpoint of the tenant with its operation, state and progress. */
@ExtendWith(MySqlExtension.class)
class LifecycleStatusTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport support;
    private ModelDefinition m;
    private final java.util.List<Long> ids = new java.util.ArrayList<>();

    LifecycleStatusTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        support = new LifecycleSupport(fx);
        m = fx.modelWithSlots(1, "company", new FieldSpec("code", DeclaredType.STRING, true),
                new FieldSpec("name", DeclaredType.STRING, true), new FieldSpec("note", DeclaredType.STRING, false),
                new FieldSpec("old", DeclaredType.STRING, false));
        for (int i = 0; i < 10; i++) {
            ids.add(fx.write(1, m, Map.of("code", i == 3 ? "x" : Integer.toString(i), "name", "n" + i, "note", "t", "old", "o")));
        }
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aRetypeIsReportedWithItsCursorRowsCoercionNullsAndPercentWhileItRunsAndOnceItCompleted() {
        fx.engine.provisionPage(List.of("i_int_01")); // an indexed int column for the retyped field
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        assertThat(support.chunk(4)).isInstanceOf(RetypeChunk.Done.class);

        LifecycleCheckpoint running = only(fx.engine.lifecycleStatus(1, null));
        assertThat(running.operation()).isEqualTo(Operation.RETYPE);
        assertThat(running.status()).isEqualTo("running");
        assertThat(running.fieldName()).isEqualTo("code");
        assertThat(running.modelName()).isEqualTo("company");
        assertThat(running.sourceType()).isEqualTo(DeclaredType.STRING);
        assertThat(running.targetType()).isEqualTo(DeclaredType.INT);
        assertThat(running.rowsProcessed()).isEqualTo(4);
        assertThat(running.coercionNulls()).isEqualTo(1);
        assertThat(running.lastProcessedId()).as("the cursor: the fourth entry's id").isEqualTo(ids.get(3));
        assertThat(running.entriesDone()).isEqualTo(4);
        assertThat(running.entriesTotal()).isEqualTo(10);
        assertThat(running.percent()).isEqualTo(40);

        support.runToCompletion(4);
        LifecycleCheckpoint done = only(fx.engine.lifecycleStatus(1, m.modelId()));
        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.percent()).isEqualTo(100);
        assertThat(done.rowsProcessed()).isEqualTo(10);
        assertThat(done.completedAt()).isNotNull();
        assertThat(fx.engine.lifecycleStatus(2, null)).as("another tenant sees nothing").isEmpty();
    }

    @Test
    void promotionsRenamesAndDeletionsAreReportedAsTheirOperationScopedToTheModel() throws SQLException {
        ModelDefinition other = fx.model(1, "other", new FieldSpec("x", DeclaredType.STRING, false));
        fx.engine.promoteFieldToFilterable(1, m.fieldId("note"));
        fx.engine.renameField(1, m.fieldId("old"), "fresh");
        fx.engine.deleteField(1, m.fieldId("name"));
        fx.engine.deleteModel(1, other.modelId());

        assertThat(fx.engine.lifecycleStatus(1, m.modelId()))
                .extracting(LifecycleCheckpoint::operation, LifecycleCheckpoint::fieldName, LifecycleCheckpoint::previousName)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Operation.BACKFILL, "note", null),
                        org.assertj.core.groups.Tuple.tuple(Operation.RENAME, "fresh", "old"),
                        org.assertj.core.groups.Tuple.tuple(Operation.DELETE_FIELD, "name", null));
        LifecycleCheckpoint modelPurge = only(fx.engine.lifecycleStatus(1, other.modelId()));
        assertThat(modelPurge.operation()).isEqualTo(Operation.DELETE_MODEL);
        assertThat(modelPurge.fieldId()).isNull();
        assertThat(modelPurge.modelName()).isEqualTo("other");

        new RenameRewrite(fx.ds, new UtcClock(Clock.systemUTC())).runChunk(3);
        LifecycleCheckpoint rename = fx.engine.lifecycleStatus(1, m.modelId()).stream()
                .filter(c -> c.operation() == Operation.RENAME).findFirst().orElseThrow();
        assertThat(rename.rowsProcessed()).isEqualTo(3);
        assertThat(rename.percent()).isEqualTo(30);
    }

    private static LifecycleCheckpoint only(List<LifecycleCheckpoint> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
