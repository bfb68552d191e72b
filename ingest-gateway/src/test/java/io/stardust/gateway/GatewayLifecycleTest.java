package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway honours the field lifecycle as the engine's write path does, from the moment an operation starts and
 * with no Reconciler running (so every rewrite, purge and backfill is still in flight): a renamed field's old key is
 * stored under the new name, a deleted field's key is dropped, values are coerced to a retyped field's new type,
 * and a model being deleted takes no record (DLQ {@code model_deletion_in_progress}, the offset still advances).
 * A renamed model is found by its new name only, also by a gateway that resolved the old one before.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayLifecycleTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private Gateway gateway;

    GatewayLifecycleTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 1);
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        fx.close();
    }

    private ModelDefinition company() {
        return fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("code", DeclaredType.STRING, true), new FieldSpec("city", DeclaredType.STRING, false));
    }

    private String payload(String key) {
        return fx.rows("SELECT CAST(e.fields AS CHAR) FROM stardust_entry_keys k JOIN entry_data e ON e.id = k.entry_id"
                + " WHERE k.entry_key = ?", key).get(0).get(0).toString();
    }

    /** The value of {@code field}'s live slot for the entry of {@code key}. */
    private Object slotValue(long fieldId, String key) {
        List<Object> slot = fx.rows("SELECT p.table_name, sa.slot_column FROM stardust_slot_assignments sa JOIN stardust_pages p"
                + " ON p.id = sa.page_id WHERE sa.field_id = ? AND sa.status IN ('assigned', 'backfilling', 'ready')", fieldId)
                .get(0);
        return fx.rows("SELECT s." + slot.get(1) + " FROM " + slot.get(0) + " s JOIN stardust_entry_keys k"
                + " ON k.entry_id = s.entry_id WHERE k.entry_key = ?", key).get(0).get(0);
    }

    @Test
    void aRecordNamingAFieldByItsNameBeforeARenameInFlightIsStoredUnderTheNewName() {
        ModelDefinition m = company();
        fx.engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Before"))); // the rewrite has work: it stays in flight
        fx.engine.renameField(1, m.fieldId("name"), "title");
        gateway = Gateway.start(fx.config());

        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"old\",\"fields\":{\"name\":\"Acme\",\"city\":\"Oslo\"}}");
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"both\",\"fields\":{\"name\":\"Old\",\"title\":\"New\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints WHERE status = 'running'")).isEqualTo(1);
        assertThat(payload("old")).isEqualTo("{\"city\": \"Oslo\", \"title\": \"Acme\"}");
        assertThat(slotValue(m.fieldId("name"), "old")).isEqualTo("Acme");
        assertThat(payload("both")).as("the new name wins when both are sent").isEqualTo("{\"title\": \"New\"}");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isZero();
    }

    @Test
    void theKeyOfAFieldBeingDeletedIsDroppedFromRecords() {
        ModelDefinition m = company();
        fx.engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Before", "city", "Rome")));
        fx.engine.deleteField(1, m.fieldId("city"));
        gateway = Gateway.start(fx.config());

        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"k\",\"fields\":{\"name\":\"Acme\",\"city\":\"Oslo\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints WHERE status = 'running'")).isEqualTo(1);
        assertThat(payload("k")).isEqualTo("{\"name\": \"Acme\"}");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_ingest_dlq")).isZero();
    }

    @Test
    void recordsForAModelBeingDeletedEndInTheDlqAsModelDeletionInProgressAndTheOffsetAdvances() {
        ModelDefinition m = company();
        ModelDefinition other = fx.modelWithSlots(1, "other", new FieldSpec("name", DeclaredType.STRING, false));
        fx.engine.write(EntryPayload.of(1, m.modelId(), Map.of("name", "Before")));
        fx.engine.deleteModel(1, m.modelId());
        gateway = Gateway.start(fx.config());

        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"k\",\"fields\":{\"name\":\"Acme\"}}");
        fx.send("1", "{\"tenantId\":1,\"modelId\":" + m.modelId() + ",\"fields\":{\"name\":\"Acme\"}}");
        fx.send("1/company/k", null);
        fx.send("1", "{\"tenantId\":1,\"model\":\"other\",\"key\":\"after\",\"fields\":{\"name\":\"Globex\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.rows("SELECT reason, tenant_id, error_message FROM stardust_ingest_dlq ORDER BY source_offset"))
                .hasSize(3).allSatisfy(r -> {
                    assertThat(r.get(0)).isEqualTo("model_deletion_in_progress");
                    assertThat(((Number) r.get(1)).longValue()).isEqualTo(1);
                    assertThat((String) r.get(2)).contains("model " + m.modelId() + " is being deleted");
                });
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE model_id = ?", m.modelId())).isEqualTo(1);
        assertThat(fx.liveByKey(1, other.modelId(), "name")).containsExactly(Map.entry("after", "Globex"));
        assertThat(fx.storedOffsets()).isEqualTo(4);
    }

    @Test
    void valuesOfAFieldMidRetypeAreCoercedToTheNewTypeBeforeTheBackfillRuns() {
        ModelDefinition m = company();
        fx.engine.provisionPage(List.of("i_int_01")); // the retype's new slot
        fx.engine.write(EntryPayload.of(1, m.modelId(), Map.of("code", "7")));
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        gateway = Gateway.start(fx.config());

        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"n\",\"fields\":{\"code\":\"42\"}}");
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"text\",\"fields\":{\"code\":\"forty-two\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.count("SELECT COUNT(*) FROM backfill_checkpoints WHERE status = 'running'")).isEqualTo(1);
        assertThat(((Number) slotValue(m.fieldId("code"), "n")).longValue()).isEqualTo(42L);
        assertThat(fx.rows("SELECT reason, error_message FROM stardust_ingest_dlq")).singleElement()
                .satisfies(r -> assertThat(r.get(0)).isEqualTo("uncoercible_value"));
    }

    @Test
    void aModelRenamedWhileTheGatewayRunsTakesRecordsByItsNewNameOnlyFromThenOn() {
        ModelDefinition m = company();
        gateway = Gateway.start(fx.config());
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"before\",\"fields\":{\"name\":\"Acme\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        fx.engine.renameModel(1, m.modelId(), "firm");
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"old-name\",\"fields\":{\"name\":\"Acme\"}}");
        fx.send("1", "{\"tenantId\":1,\"model\":\"firm\",\"key\":\"new-name\",\"fields\":{\"name\":\"Acme\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        assertThat(fx.liveByKey(1, m.modelId(), "name")).containsOnlyKeys("before", "new-name");
        assertThat(fx.rows("SELECT reason FROM stardust_ingest_dlq")).containsExactly(List.of("unknown_model"));
    }
}
