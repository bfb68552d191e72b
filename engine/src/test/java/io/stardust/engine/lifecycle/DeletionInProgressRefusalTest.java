package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldDefinitionConflictException;
import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldNameConflictException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a deletion (or a rename) still in flight refuses a definition or a write with its typed error, and that
 * nothing is registered or written when it does.
 */
@ExtendWith(MySqlExtension.class)
class DeletionInProgressRefusalTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;

    DeletionInProgressRefusalTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("secret", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private String registry() {
        return fx.rows("SELECT id, name, deleted_at IS NULL FROM stardust_models ORDER BY id").toString()
                + fx.rows("SELECT id, model_id, name, declared_type, is_filterable, deleted_at IS NULL FROM stardust_fields ORDER BY id")
                + fx.rows("SELECT version FROM stardust_schema_version");
    }

    @Test
    void definingAModelBeingDeletedIsRefusedUntilItsPurgeEndsAndRegistersNothing() {
        fx.engine.deleteModel(1, m.modelId());
        String before = registry();

        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(new FieldSpec("city", DeclaredType.STRING, false))))
                .isInstanceOf(ModelDeletionInProgressException.class)
                .hasMessageContaining("model 'company'").hasMessageContaining("purge_model_" + m.modelId());
        assertThatThrownBy(() -> fx.engine.defineModel(1, " COMPANY ", List.of()))
                .as("the registry's name rule finds it").isInstanceOf(ModelDeletionInProgressException.class);
        assertThat(registry()).isEqualTo(before);
        assertThat(fx.engine.defineModel(2, "company", List.of()).modelId()).as("another tenant's name").isNotEqualTo(m.modelId());
    }

    @Test
    void everyWritePathRefusesAModelBeingDeletedAndWritesNothing() {
        long existing = fx.write(1, m, Map.of("name", "Acme"));
        fx.engine.upsertByKey(1, m.modelId(), "k1", Json.object().put("name", "Keyed"));
        fx.engine.deleteModel(1, m.modelId());
        long entries = fx.count("SELECT COUNT(*) FROM entry_data");

        assertThatThrownBy(() -> fx.write(1, m, Map.of("name", "late"))).isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.updateEntry(1, existing, Map.of("name", "late")))
                .isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.upsertByKey(1, m.modelId(), "k1", Json.object().put("name", "late")))
                .isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.upsertByKey(1, m.modelId(), "k2", Json.object().put("name", "late")))
                .isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.bulkWrite(List.of(EntryPayload.of(1, m.modelId(), Map.of("name", "late")))))
                .isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.compactModel(1, m.modelId(), true)).isInstanceOf(ModelDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.promoteFieldToFilterable(1, m.fieldId("secret")))
                .isInstanceOf(ModelDeletionInProgressException.class);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(entries);
        assertThat(fx.rows("SELECT fields->>'$.name' FROM entry_data WHERE id = ?", existing)).containsExactly(List.of("Acme"));
    }

    @Test
    void definingAFieldBeingDeletedIsRefusedUntilItsPurgeEndsAndRegistersNothing() {
        fx.engine.deleteField(1, m.fieldId("secret"));
        String before = registry();

        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(new FieldSpec("city", DeclaredType.STRING, false),
                new FieldSpec("secret", DeclaredType.STRING, false))))
                .isInstanceOf(FieldDeletionInProgressException.class)
                .hasMessageContaining("field 'secret'").hasMessageContaining("purge_field_" + m.fieldId("secret"));
        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(new FieldSpec("SECRET", DeclaredType.INT, true))))
                .as("any spelling of the name").isInstanceOf(FieldDeletionInProgressException.class);
        assertThatThrownBy(() -> fx.engine.renameField(1, m.fieldId("name"), "secret"))
                .as("a rename to its name is a reuse too").isInstanceOf(FieldDeletionInProgressException.class);
        assertThat(registry()).as("not even city was registered").isEqualTo(before);
    }

    @Test
    void definingTheOldNameOfAFieldBeingRenamedIsRefusedUntilTheRewriteCompletes() {
        fx.engine.renameField(1, m.fieldId("name"), "title");
        String before = registry();

        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(new FieldSpec("name", DeclaredType.STRING, true))))
                .isInstanceOf(FieldNameConflictException.class)
                .hasMessageContaining("renamed to 'title'").hasMessageContaining("rename_field_" + m.fieldId("name"));
        assertThat(registry()).isEqualTo(before);
        assertThat(fx.engine.defineModel(1, "company", List.of(new FieldSpec("title", DeclaredType.STRING, true))).fieldId("title"))
                .as("the new name is the field").isEqualTo(m.fieldId("name"));
    }

    @Test
    void aConflictingRedefinitionNamesTheLifecycleOperationsThatMakeTheChange() {
        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(new FieldSpec("name", DeclaredType.INT, false))))
                .isInstanceOf(FieldDefinitionConflictException.class)
                .hasMessage("field 'name' of model 'company' is registered as 'name:string:filterable', not 'name:int';"
                        + " defining a model never changes an existing field: retype it with retypeField"
                        + " (bin/stardust field:retype --type=int), then make it JSON-only with demoteFieldFromFilterable"
                        + " (bin/stardust field:demote)");
        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(new FieldSpec("secret", DeclaredType.STRING, true))))
                .hasMessageEndingWith("make it filterable with promoteFieldToFilterable (bin/stardust field:promote)");
    }
}
