package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryQuery;
import io.stardust.FieldNameConflictException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.ModelNameConflictException;
import io.stardust.RenameInProgressException;
import io.stardust.RetypeInProgressException;
import io.stardust.UnknownFieldException;
import io.stardust.engine.db.UtcClock;
import io.stardust.filter.LeafNode;
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

@ExtendWith(MySqlExtension.class)
class RenameTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private RenameRewrite rewrite;
    private ModelDefinition m;
    private long name;

    RenameTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        rewrite = new RenameRewrite(fx.ds, new UtcClock(Clock.systemUTC()));
        m = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("city", DeclaredType.STRING, false));
        name = m.fieldId("name");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private List<RenameRewrite.Done> rewriteAll(int chunk) throws SQLException {
        List<RenameRewrite.Done> done = new java.util.ArrayList<>();
        RenameRewrite.Outcome out;
        while ((out = rewrite.runChunk(chunk)) instanceof RenameRewrite.Done d) {
            done.add(d);
        }
        assertThat(out).isInstanceOf(RenameRewrite.Idle.class);
        return done;
    }

    @Test
    void whileTheRewriteRunsReadsShowTheNewNameFiltersUseItAndTheOldNameIsUnknown() {
        long a = fx.write(1, m, Map.of("name", "Acme", "city", "Berlin"));
        long before = fx.engine.schemaVersion();

        fx.engine.renameField(1, name, "title");

        assertThat(fx.engine.schemaVersion()).isEqualTo(before + 1);
        assertThat(fx.rows("SELECT name, previous_name FROM stardust_fields WHERE id = ?", name)).containsExactly(List.of("title", "name"));
        assertThat(fx.engine.get(1, a).orElseThrow().fields().has("name")).isFalse();
        assertThat(fx.engine.get(1, a).orElseThrow().fields().get("title").asText()).isEqualTo("Acme");
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withSelect(List.of("title"))).rows().get(0).fields()
                .get("title").asText()).isEqualTo("Acme");
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("title", "eq", "Acme"))).rows())
                .extracting(e -> e.id()).containsExactly(a);
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("name", "eq", "Acme"))))
                .isInstanceOf(UnknownFieldException.class);
    }

    @Test
    void writesThatStillSendTheOldKeyAreStoredUnderTheNewOne() {
        fx.engine.renameField(1, name, "title");

        long old = fx.write(1, m, Map.of("name", "Old client"));
        long both = fx.write(1, m, Map.of("name", "loses", "title", "wins"));
        long updated = fx.write(1, m, Map.of("title", "x"));
        fx.engine.updateEntry(1, updated, Map.of("name", "Renamed by update"));

        assertThat(fx.rows("SELECT JSON_EXTRACT(fields, '$.title'), JSON_CONTAINS_PATH(fields, 'one', '$.name') FROM entry_data"
                + " ORDER BY id")).containsExactly(List.of("\"Old client\"", 0L), List.of("\"wins\"", 0L),
                List.of("\"Renamed by update\"", 0L));
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("title", "eq", "Old client"))).rows())
                .extracting(e -> e.id()).containsExactly(old);
        assertThat(both).isPositive();
    }

    @Test
    void theRewriteMovesEveryPayloadKeyInChunksThenEndsTheRenameInTheSameTransaction() throws Exception {
        for (int i = 0; i < 5; i++) {
            fx.write(1, m, Map.of("name", "n" + i, "city", "c" + i));
        }
        fx.write(1, m, Map.of("city", "no name"));
        fx.engine.renameField(1, name, "ti.tle \"quoted\"");

        List<RenameRewrite.Done> chunks = rewriteAll(2);

        assertThat(chunks).extracting(RenameRewrite.Done::finalChunk).containsExactly(false, false, false, true);
        assertThat(chunks.stream().mapToInt(RenameRewrite.Done::rowsRewritten).sum()).isEqualTo(5);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE JSON_CONTAINS_PATH(fields, 'one', '$.name')")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE JSON_CONTAINS_PATH(fields, 'one', '$.\"ti.tle \\\\\"quoted\\\\\"\"')"))
                .isEqualTo(5);
        assertThat(fx.rows("SELECT previous_name FROM stardust_fields WHERE id = ?", name)).containsExactly(java.util.Arrays.asList((Object) null));
        assertThat(fx.rows("SELECT status, rows_processed FROM backfill_checkpoints WHERE job_name = ?", "rename_field_" + name))
                .containsExactly(List.of("completed", 5L));
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("ti.tle \"quoted\"", "eq", "n3")))
                .rows()).hasSize(1);
    }

    @Test
    void whileARenameRunsTheFieldCannotBeRenamedOrRetypedAndANameInUseConflicts() throws Exception {
        assertThatThrownBy(() -> fx.engine.renameField(1, name, "City")).isInstanceOf(FieldNameConflictException.class);
        fx.engine.renameField(1, name, "title");
        assertThatThrownBy(() -> fx.engine.renameField(1, name, "other")).isInstanceOf(RenameInProgressException.class);
        assertThatThrownBy(() -> fx.engine.retypeField(1, name, DeclaredType.INT)).isInstanceOf(RenameInProgressException.class);
        assertThatThrownBy(() -> fx.engine.renameField(1, m.fieldId("city"), "name"))
                .as("the old name is still in use until the rewrite ends").isInstanceOf(FieldNameConflictException.class);
        rewriteAll(10);
        fx.engine.renameField(1, m.fieldId("city"), "name");
        fx.engine.retypeField(1, name, DeclaredType.STRING);
        assertThatThrownBy(() -> fx.engine.renameField(1, name, "again")).isInstanceOf(RetypeInProgressException.class);
    }

    @Test
    void aModelRenameIsALabelChangeCompleteOnReturnAndRefusesANameInUse() {
        long a = fx.write(1, m, Map.of("name", "Acme"));
        fx.model(1, "person");

        fx.engine.renameModel(1, m.modelId(), "organisation");

        assertThat(fx.engine.findModel(1, "organisation").orElseThrow().modelId()).isEqualTo(m.modelId());
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("name", "eq", "Acme"))).rows())
                .extracting(e -> e.id()).containsExactly(a);
        assertThatThrownBy(() -> fx.engine.renameModel(1, m.modelId(), "PERSON")).isInstanceOf(ModelNameConflictException.class);
        assertThatThrownBy(() -> fx.engine.renameModel(2, m.modelId(), "x")).isInstanceOf(io.stardust.ModelNotFoundException.class);
    }
}
