package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stardust.filter.JsonFilterDecoder;
import io.stardust.filter.LeafNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry's rules for definitions: conflicting field definitions are refused and register nothing, model
 * names resolve by one rule everywhere, and provisioning gives every filterable field an indexed slot however many
 * pages that takes.
 */
@ExtendWith(MySqlExtension.class)
class ModelDefinitionRulesTest {
    private final TestDatabase db;
    private EngineFixture fx;

    ModelDefinitionRulesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static FieldSpec f(String text) {
        return FieldSpec.parse(text);
    }

    private String registry() {
        return fx.rows("SELECT id, tenant_id, name FROM stardust_models ORDER BY id").toString()
                + fx.rows("SELECT id, model_id, name, declared_type, is_filterable FROM stardust_fields ORDER BY id")
                + fx.engine.schemaVersion();
    }

    @Test
    void oneFieldDefinedTwiceDifferentlyInOneCallIsAConflictAndRegistersNothing() {
        String before = registry();
        FieldDefinitionConflictException byType = catchThrowableOfType(FieldDefinitionConflictException.class,
                () -> fx.engine.defineModel(1, "company", List.of(f("a:string"), f("b:int"), f("a:int"))));
        assertThat(byType.registered()).isFalse();
        assertThat(byType.existing()).isEqualTo(f("a:string"));
        assertThat(byType.requested()).isEqualTo(f("a:int"));
        assertThat(byType).hasMessageContaining("'a:string'").hasMessageContaining("'a:int'");
        assertThat(registry()).as("the model and field a were rolled back").isEqualTo(before);

        // Field names are one name under the registry's collation, so two spellings are two definitions of one field.
        FieldDefinitionConflictException bySpelling = catchThrowableOfType(FieldDefinitionConflictException.class,
                () -> fx.engine.defineModel(1, "company", List.of(f("Name:string"), f("name:int"))));
        assertThat(bySpelling.registered()).isFalse();
        assertThat(bySpelling).hasMessageContaining("'Name:string'").hasMessageContaining("'name:int'");
        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(f("Name:string"), f("name:string"))))
                .isInstanceOf(FieldDefinitionConflictException.class);
        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(f("a:string:filterable"), f("a:string"))))
                .isInstanceOf(FieldDefinitionConflictException.class);
        assertThat(registry()).isEqualTo(before);

        // The same definition twice is not a conflict.
        ModelDefinition twice = fx.engine.defineModel(1, "company", List.of(f("a:string"), f("a:string")));
        assertThat(twice.fieldIds()).containsOnlyKeys("a");
    }

    @Test
    void redefiningAnExistingFieldWithAnotherTypeFilterabilityOrSpellingIsAConflictAndTheIdenticalDefinitionIsIdempotent() {
        ModelDefinition first = fx.engine.defineModel(1, "company", List.of(f("name:string:filterable"), f("employees:int")));
        String before = registry();
        for (FieldSpec changed : List.of(f("name:int:filterable"), f("name:string"), f("Name:string:filterable"),
                f("NÁME:string:filterable"))) {
            FieldDefinitionConflictException e = catchThrowableOfType(FieldDefinitionConflictException.class,
                    () -> fx.engine.defineModel(1, "company", List.of(f("city:string"), changed)));
            assertThat(e).as(changed.text()).isNotNull();
            assertThat(e.registered()).isTrue();
            assertThat(e.existing()).isEqualTo(f("name:string:filterable"));
            assertThat(e.requested()).isEqualTo(changed);
            assertThat(e.modelName()).isEqualTo("company");
            assertThat(registry()).as("city was rolled back too").isEqualTo(before);
        }
        assertThatThrownBy(() -> fx.engine.defineModel(1, "company", List.of(f("employees:int:filterable"))))
                .isInstanceOf(FieldDefinitionConflictException.class)
                .hasMessageContaining("'employees:int'").hasMessageContaining("'employees:int:filterable'");

        ModelDefinition again = fx.engine.defineModel(1, "company", List.of(f("employees:int"), f("name:string:filterable")));
        assertThat(again).isEqualTo(first);
        assertThat(registry()).isEqualTo(before);
    }

    @Test
    void namesThatAreEmptyOrLongerThan128CharactersAreInvalidDefinitions() {
        String long200 = "n".repeat(200);
        InvalidModelDefinitionException model = catchThrowableOfType(InvalidModelDefinitionException.class,
                () -> fx.engine.defineModel(1, long200, List.of()));
        assertThat(model).hasMessageContaining("model name").hasMessageContaining("200 characters").hasMessageContaining("128");
        assertThat(model.getMessage()).hasSizeLessThan(150);
        assertThatThrownBy(() -> fx.engine.defineModel(1, "m", List.of(f(long200 + ":int"))))
                .isInstanceOf(InvalidModelDefinitionException.class).hasMessageContaining("field name");
        assertThatThrownBy(() -> fx.engine.defineModel(1, "m", List.of(new FieldSpec(" ", DeclaredType.INT, false))))
                .isInstanceOf(InvalidModelDefinitionException.class);
        assertThatThrownBy(() -> fx.engine.defineModel(1, "m", List.of(new FieldSpec("x", null, false))))
                .isInstanceOf(InvalidModelDefinitionException.class);
        // 128 characters (not bytes) is fine.
        fx.engine.defineModel(1, "é".repeat(128), List.of());
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_models")).isEqualTo(1);
    }

    @Test
    void everyLookupResolvesCasedAccentedAndPaddedSpellingsToTheOneRegisteredModel() {
        ModelDefinition company = fx.engine.defineModel(1, "company", List.of(f("name:string:filterable")));
        fx.engine.ensureSlots(1, company.modelId());
        ModelDefinition other = fx.engine.defineModel(2, "company", List.of(f("name:string")));
        fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "Acme")));

        for (String spelling : List.of("company", "Company", "cómpany", "CÓMPANY", " company ")) {
            assertThat(fx.engine.findModel(1, spelling)).as(spelling).contains(new ModelSummary(company.modelId(), "company"));
            assertThat(fx.engine.findModel(2, spelling)).as(spelling).contains(new ModelSummary(other.modelId(), "company"));
            assertThat(fx.engine.defineModel(1, spelling, List.of(f("name:string:filterable"))).modelId()).isEqualTo(company.modelId());
            EntryPage page = fx.engine.read(EntryQuery.all(1, company.modelId()).withFilter(new JsonFilterDecoder().decode(
                    "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"" + spelling + "\",\"name\":\"name\"},"
                            + "\"value\":\"Acme\"}}")));
            assertThat(page.rows()).as(spelling).hasSize(1);
        }
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_models")).isEqualTo(2);
        for (String notIt : List.of("companies", "compan", "com pany", "company2")) {
            assertThat(fx.engine.findModel(1, notIt)).as(notIt).isEmpty();
        }
        assertThat(fx.engine.findModel(3, "company")).isEmpty();
        // The rule is the column's collation (and so the unique key's).
        assertThat(fx.rows("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'stardust_models' AND COLUMN_NAME = 'name'").get(0).get(0)).isEqualTo("utf8mb4_0900_ai_ci");
    }

    @Test
    void ensureSlotsGivesEachOfSixtyFilterableFieldsOfOneFamilyAnIndexedSlotOnAsManyPagesAsNeeded() {
        List<FieldSpec> fields = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            fields.add(new FieldSpec("s" + i, DeclaredType.STRING, true));
        }
        ModelDefinition m = fx.engine.defineModel(1, "wide", fields);
        List<SlotAssignment> reserved = fx.engine.ensureSlots(1, m.modelId());
        assertThat(reserved).hasSize(60);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).as("25 string slots per page").isEqualTo(3);
        assertEveryFilterableFieldIsIndexedOnItsOwnSlot(m);
        assertThat(fx.engine.ensureSlots(1, m.modelId())).as("idempotent").isEmpty();

        // The last field is filterable end to end.
        Map<String, Object> values = new LinkedHashMap<>();
        fields.forEach(s -> values.put(s.name(), "v-" + s.name()));
        long id = fx.engine.write(EntryPayload.of(1, m.modelId(), values)).entryId();
        EntryPage page = fx.engine.read(EntryQuery.all(1, m.modelId()).withFilter(LeafNode.local("s60", "eq", "v-s60")));
        assertThat(page.rows()).extracting(Entry::id).containsExactly(id);
    }

    @Test
    void ensureSlotsGivesEachOfTwoHundredFilterableFieldsOfMixedTypesAnIndexedSlot() {
        List<FieldSpec> fields = new ArrayList<>();
        DeclaredType[] types = DeclaredType.values();
        for (int i = 1; i <= 200; i++) {
            fields.add(new FieldSpec("f" + i, types[i % types.length], true));
            if (i % 20 == 0) {
                fields.add(new FieldSpec("json" + i, DeclaredType.STRING, false));
            }
        }
        ModelDefinition m = fx.engine.defineModel(1, "wider", fields);
        assertThat(fx.engine.ensureSlots(1, m.modelId())).hasSize(200);
        // 50 of each family: ceil(50/25), ceil(50/15), ceil(50/10), ceil(50/10) pages; the numeric and datetime
        // families need the most.
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_pages")).isEqualTo(5);
        assertEveryFilterableFieldIsIndexedOnItsOwnSlot(m);
    }

    private void assertEveryFilterableFieldIsIndexedOnItsOwnSlot(ModelDefinition m) {
        ModelDescription d = fx.engine.describeModel(1, m.modelId()).orElseThrow();
        Set<String> slots = new HashSet<>();
        for (FieldDescription field : d.fields()) {
            assertThat(field.isIndexed()).as(field.name()).isEqualTo(field.isFilterable());
            if (field.isFilterable()) {
                assertThat(slots.add(field.pageId() + "." + field.slotColumn())).as("slot of " + field.name() + " is its own").isTrue();
            }
        }
    }
}
