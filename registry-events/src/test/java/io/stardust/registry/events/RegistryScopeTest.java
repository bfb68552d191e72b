package io.stardust.registry.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistryScopeTest {
    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private static RegistryChange change(String table, Op op, ObjectNode before, ObjectNode after) {
        return new RegistryChange(op, table, N.objectNode().put("id", 5), before, after,
                new SourcePosition("binlog.000001", 10, 0, null, 1, false), Instant.parse("2026-11-29T21:00:00Z"));
    }

    @Test
    void aModelRowNamesItsModelAndAFieldRowNamesTheModelsOfBothImages() {
        assertThat(RegistryScope.of(change("stardust_models", Op.UPDATE, N.objectNode(), N.objectNode())).models())
                .containsExactly(5);
        RegistryScope field = RegistryScope.of(change("stardust_fields", Op.UPDATE,
                N.objectNode().put("model_id", 3), N.objectNode().put("model_id", 4)));
        assertThat(field.models()).containsExactlyInAnyOrder(3, 4);
        assertThat(field.fields()).isEmpty();
        assertThat(field.everything()).isFalse();
    }

    @Test
    void aSlotRowNamesTheFieldsOwningItBeforeAndAfterAndAFreeSlotNamesNone() {
        RegistryScope freed = RegistryScope.of(change("stardust_slot_assignments", Op.UPDATE,
                N.objectNode().put("field_id", 7L), N.objectNode().putNull("field_id")));
        assertThat(freed.fields()).containsExactly(7L);
        assertThat(freed.models()).isEmpty();
        RegistryScope provisioned = RegistryScope.of(change("stardust_slot_assignments", Op.CREATE, null,
                N.objectNode().putNull("field_id")));
        assertThat(provisioned.isEmpty()).isTrue();
    }

    @Test
    void aNewPageChangesNothingButAChangedPageChangesEverything() {
        assertThat(RegistryScope.of(change("stardust_pages", Op.CREATE, null, N.objectNode())).isEmpty()).isTrue();
        assertThat(RegistryScope.of(change("stardust_pages", Op.UPDATE, N.objectNode(), N.objectNode())).everything()).isTrue();
        assertThat(RegistryScope.of(change("stardust_pages", Op.DELETE, N.objectNode(), null)).everything()).isTrue();
    }

    @Test
    void appliedToACacheEverythingAloneOrEachModelAndField() {
        java.util.List<String> calls = new java.util.ArrayList<>();
        new RegistryScope(java.util.Set.of(3), java.util.Set.of(7L), false)
                .applyTo(m -> calls.add("model " + m), f -> calls.add("field " + f), () -> calls.add("all"));
        new RegistryScope(java.util.Set.of(3), java.util.Set.of(), true)
                .applyTo(m -> calls.add("model " + m), f -> calls.add("field " + f), () -> calls.add("all"));
        assertThat(calls).containsExactly("model 3", "field 7", "all");
    }

    @Test
    void versionCheckpointAndJobRowsChangeNoRoute() {
        for (String table : new String[] {"stardust_schema_version", "backfill_checkpoints", "stardust_import_jobs"}) {
            assertThat(RegistryScope.of(change(table, Op.UPDATE, N.objectNode(), N.objectNode())).isEmpty()).as(table).isTrue();
        }
    }
}
