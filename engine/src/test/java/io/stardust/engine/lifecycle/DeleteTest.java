package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.EntryQuery;
import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.RenameInProgressException;
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
class DeleteTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private FieldPurge fieldPurge;
    private ModelPurge modelPurge;
    private ModelDefinition m;

    DeleteTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        UtcClock clock = new UtcClock(Clock.systemUTC());
        fieldPurge = new FieldPurge(fx.ds, clock);
        modelPurge = new ModelPurge(fx.ds, clock);
        m = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("secret", DeclaredType.STRING, true));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private List<PurgeChunk.Done> drain(boolean model, int size) throws SQLException {
        List<PurgeChunk.Done> done = new java.util.ArrayList<>();
        PurgeChunk c;
        while ((c = model ? modelPurge.runChunk(size) : fieldPurge.runChunk(size)) instanceof PurgeChunk.Done d) {
            done.add(d);
        }
        return done;
    }

    @Test
    void aDeletedFieldDisappearsAtOnceFromReadsFiltersAndDescribeAndWritesDropItsKey() {
        long a = fx.write(1, m, Map.of("name", "Acme", "secret", "s1"));
        long slot = (Long) fx.rows("SELECT id FROM stardust_slot_assignments WHERE field_id = ?", m.fieldId("secret")).get(0).get(0);

        assertThat(fx.engine.deleteField(1, m.fieldId("secret"))).isTrue();

        assertThat(fx.engine.get(1, a).orElseThrow().fields().has("secret")).isFalse();
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId())).rows().get(0).fields().has("secret")).isFalse();
        assertThatThrownBy(() -> fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("secret", "eq", "s1"))))
                .isInstanceOf(UnknownFieldException.class);
        assertThat(fx.engine.describeModel(1, m.modelId()).orElseThrow().fields()).extracting(f -> f.name()).containsExactly("name");
        assertThat(fx.rows("SELECT status FROM stardust_slot_assignments WHERE id = ?", slot)).containsExactly(List.of("tombstoned"));
        long b = fx.write(1, m, Map.of("name", "Globex", "secret", "s2"));
        assertThat(fx.rows("SELECT JSON_CONTAINS_PATH(fields, 'one', '$.secret') FROM entry_data WHERE id = ?", b))
                .containsExactly(List.of(0L));
        assertThat(fx.engine.deleteField(1, m.fieldId("secret"))).as("already being deleted").isFalse();
        assertThat(fx.engine.deleteField(2, m.fieldId("name"))).as("foreign").isFalse();
        assertThatThrownBy(() -> fx.engine.retypeField(1, m.fieldId("secret"), DeclaredType.INT))
                .isInstanceOf(FieldDeletionInProgressException.class);
    }

    @Test
    void theFieldPurgeRemovesTheKeyInChunksThenTheFieldRowSoTheNameCanBeUsedAgain() throws Exception {
        for (int i = 0; i < 5; i++) {
            fx.write(1, m, Map.of("name", "n" + i, "secret", "s" + i));
        }
        fx.engine.deleteField(1, m.fieldId("secret"));

        List<PurgeChunk.Done> chunks = drain(false, 2);

        assertThat(chunks).extracting(PurgeChunk.Done::finalChunk).containsExactly(false, false, true);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE JSON_CONTAINS_PATH(fields, 'one', '$.secret')")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE JSON_CONTAINS_PATH(fields, 'one', '$.name')")).isEqualTo(5);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_fields WHERE id = " + m.fieldId("secret"))).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
        assertThat(fx.model(1, "company", new FieldSpec("secret", DeclaredType.INT, false)).fieldId("secret"))
                .isNotEqualTo(m.fieldId("secret"));
    }

    @Test
    void aDeletedModelGoesDarkAtOnceRefusesWritesAndItsPurgeHardDeletesEverything() throws Exception {
        long a = fx.write(1, m, Map.of("name", "Acme"));
        fx.write(1, m, Map.of("name", "Globex"));
        fx.engine.upsertByKey(1, m.modelId(), "k1", io.stardust.engine.json.Json.object().put("name", "Keyed"));
        ModelDefinition other = fx.model(1, "other", new FieldSpec("x", DeclaredType.STRING, false));
        long kept = fx.write(1, other, Map.of("x", "stay"));

        assertThat(fx.engine.deleteModel(1, m.modelId())).isTrue();

        assertThat(fx.engine.listModels(1)).extracting(s -> s.name()).containsExactly("other");
        assertThat(fx.engine.describeModel(1, m.modelId())).isEmpty();
        assertThat(fx.engine.read(EntryQuery.all(1, m.modelId())).rows()).isEmpty();
        assertThat(fx.engine.get(1, a)).isEmpty();
        assertThat(fx.engine.deleteEntry(1, a)).isFalse();
        assertThatThrownBy(() -> fx.write(1, m, Map.of("name", "late"))).isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.submitBulkWrite(1, List.of(EntryPayload.of(1, m.modelId(), Map.of("name", "x"))), null))
                .isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.renameModel(1, m.modelId(), "x")).isInstanceOf(ModelDeletionInProgressException.class);
        assertThat(fx.engine.deleteModel(1, m.modelId())).isFalse();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'")).isEqualTo(2);

        List<PurgeChunk.Done> chunks = drain(true, 2);

        assertThat(chunks).extracting(PurgeChunk.Done::finalChunk).containsExactly(false, true);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = " + m.modelId())).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_entry_keys")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_models WHERE id = " + m.modelId())).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_fields WHERE model_id = " + m.modelId())).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints")).isZero();
        assertThat(fx.engine.get(1, kept)).isPresent();
        assertThat(fx.model(1, "company").modelId()).as("the name is free again").isNotEqualTo(m.modelId());
    }

    @Test
    void aModelWithAFieldBeingRenamedOrDeletedCannotBeDeleted() {
        fx.engine.renameField(1, m.fieldId("name"), "title");
        assertThatThrownBy(() -> fx.engine.deleteModel(1, m.modelId())).isInstanceOf(RenameInProgressException.class);
        assertThatThrownBy(() -> fx.engine.deleteField(1, m.fieldId("name"))).isInstanceOf(RenameInProgressException.class);
        fx.engine.deleteField(1, m.fieldId("secret"));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_models WHERE deleted_at IS NOT NULL")).isZero();
    }
}
