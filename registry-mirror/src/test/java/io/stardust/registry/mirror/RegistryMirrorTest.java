package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.mirror.MirrorFixture.Published;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class RegistryMirrorTest {
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = RegistryMirrorTest.class.getResourceAsStream("/schemas/registry-change.schema.json")) {
            assertThat(in).as("schema on the classpath (registry-events jar)").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @Test
    void defineModelProvisionedPageAndReservedSlotEachAppearInCommitOrderPerRowWithBeforeAndAfterImages(TestDatabase db,
                                                                                                       EmbeddedKafka kafka)
            throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            MirrorFixture mf = new MirrorFixture(db, kafka);
            try (RegistryMirror mirror = RegistryMirror.start(mf.config(), Clock.systemUTC())) {
                // the snapshot publishes the bootstrapped schema-version row before any change
                mf.read(l -> has(l, "stardust_schema_version", "r"), Duration.ofSeconds(60));

                ModelDefinition company = fx.engine.defineModel(1, "company",
                        List.of(new FieldSpec("name", DeclaredType.STRING, true)));
                int page = fx.engine.provisionPage(List.of("i_str_01"));
                fx.engine.reserveSlot(company.fieldId("name")).orElseThrow();
                long version = fx.count("SELECT version FROM stardust_schema_version");

                List<Published> all = mf.read(l -> versions(l).contains(version), Duration.ofSeconds(60));
                List<JsonNode> events = all.stream().map(Published::value).filter(v -> v != null).toList();
                events.forEach(e -> assertThat(schema.validate(e)).as(e.toString()).isEmpty());

                JsonNode model = single(events, "stardust_models", "c");
                assertThat(model.at("/after/name").asText()).isEqualTo("company");
                assertThat(model.at("/after/tenant_id").asLong()).isEqualTo(1);
                assertThat(model.get("before").isNull()).isTrue();
                JsonNode field = single(events, "stardust_fields", "c");
                assertThat(field.at("/after/declared_type").asText()).isEqualTo("string");
                assertThat(field.at("/after/model_id").asInt()).isEqualTo(company.modelId());
                JsonNode pageRow = single(events, "stardust_pages", "c");
                assertThat(pageRow.at("/after/id").asInt()).isEqualTo(page);
                assertThat(pageRow.at("/after/provisioned_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

                List<JsonNode> slotChanges = events.stream().filter(e -> e.get("table").asText().equals("stardust_slot_assignments")
                        && e.at("/after/field_id").asLong() == company.fieldId("name")).toList();
                assertThat(slotChanges).hasSize(1);
                JsonNode reserved = slotChanges.get(0);
                assertThat(reserved.get("op").asText()).isEqualTo("u");
                assertThat(reserved.at("/before/status").asText()).isEqualTo("free");
                assertThat(reserved.at("/before/field_id").isNull()).isTrue();
                assertThat(reserved.at("/after/status").asText()).isEqualTo("assigned");
                // the same slot's insert (by the page provisioning) precedes its reservation on the topic
                List<String> slotOps = events.stream().filter(e -> e.get("table").asText().equals("stardust_slot_assignments")
                        && e.at("/key/id").asLong() == reserved.at("/key/id").asLong()).map(e -> e.get("op").asText()).toList();
                assertThat(slotOps).containsExactly("c", "u");

                // the schema-version row: every bump, in commit order, each update carrying the previous value
                List<Long> bumps = versions(all);
                assertThat(bumps).isSorted().doesNotHaveDuplicates().endsWith(version);
                events.stream().filter(e -> e.get("table").asText().equals("stardust_schema_version") && e.get("op").asText().equals("u"))
                        .forEach(e -> assertThat(e.at("/after/version").asLong()).isEqualTo(e.at("/before/version").asLong() + 1));
                // one row, one partition
                assertThat(all.stream().filter(p -> p.table().equals("stardust_schema_version")).map(Published::partition)
                        .collect(Collectors.toSet())).hasSize(1);
                assertThat(mirror.eventsPublished()).isGreaterThanOrEqualTo(events.size() - 1);
                String metrics = scrape(mirror.metricsPort());
                assertThat(metrics).contains("stardust_registry_mirror_events_published_total{table=\"stardust_models\"} 1.0",
                        "stardust_registry_mirror_lag_seconds", "stardust_registry_mirror_last_commit_age_seconds");
            }
        }
    }

    @Test
    void aRetypeAndAPromotionAndTheirBackfillsEachAppearInCommitOrderPerRowWithBeforeAndAfterImages(TestDatabase db,
                                                                                                  EmbeddedKafka kafka)
            throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            ModelDefinition company = fx.modelWithSlots(1, "company", new FieldSpec("employees", DeclaredType.INT, true),
                    new FieldSpec("note", DeclaredType.STRING, false));
            fx.engine.provisionPage(List.of("i_str_01", "i_str_02")); // the new slots' page
            long employees = company.fieldId("employees");
            long note = company.fieldId("note");
            MirrorFixture mf = new MirrorFixture(db, kafka);
            try (RegistryMirror mirror = RegistryMirror.start(mf.config(), Clock.systemUTC())) {
                mf.read(l -> has(l, "stardust_schema_version", "r"), Duration.ofSeconds(60));
                fx.engine.retypeField(1, employees, DeclaredType.STRING);
                fx.engine.promoteFieldToFilterable(1, note);
                fx.runBackfills(); // completes both checkpoints and makes both new slots ready
                long version = fx.count("SELECT version FROM stardust_schema_version");

                List<JsonNode> changes = mf.read(l -> versions(l).contains(version), Duration.ofSeconds(60)).stream()
                        .map(Published::value).filter(v -> v != null && !v.get("op").asText().equals("r")).toList();
                changes.forEach(e -> assertThat(schema.validate(e)).as(e.toString()).isEmpty());
                assertCommitOrderPerRow(changes);

                JsonNode retype = single(rowChanges(changes, "stardust_fields", employees), "u");
                assertThat(retype.at("/before/declared_type").asText()).isEqualTo("int");
                assertThat(retype.at("/after/declared_type").asText()).isEqualTo("string");
                JsonNode promotion = single(rowChanges(changes, "stardust_fields", note), "u");
                assertThat(promotion.at("/before/is_filterable").asInt()).isZero();
                assertThat(promotion.at("/after/is_filterable").asInt()).isEqualTo(1);

                // the retyped field's int slot is tombstoned (the Liberator frees it later)
                List<JsonNode> oldSlot = changes.stream().filter(e -> e.get("table").asText().equals("stardust_slot_assignments")
                        && e.at("/before/field_id").asLong() == employees && e.at("/before/slot_type").asText().equals("int")).toList();
                assertThat(oldSlot).singleElement().satisfies(e -> {
                    assertThat(e.at("/before/status").asText()).isEqualTo("assigned");
                    assertThat(e.at("/after/status").asText()).isEqualTo("tombstoned");
                });
                // each field's new string slot: free, then backfilling, then ready
                for (long field : List.of(employees, note)) {
                    JsonNode reserved = changes.stream().filter(e -> e.get("table").asText().equals("stardust_slot_assignments")
                            && e.at("/after/field_id").asLong() == field && e.at("/after/status").asText().equals("backfilling"))
                            .findFirst().orElseThrow();
                    List<JsonNode> slot = rowChanges(changes, "stardust_slot_assignments", reserved.at("/key/id").asLong());
                    assertThat(slot.get(0).at("/before/status").asText()).isEqualTo("free");
                    assertThat(slot.stream().map(e -> e.at("/after/status").asText()).distinct().toList())
                            .as("slot of field " + field).containsExactly("backfilling", "ready");
                    // its checkpoint: created running, completed last
                    List<JsonNode> checkpoint = changes.stream().filter(e -> e.get("table").asText().equals("backfill_checkpoints")
                            && e.at("/after/job_name").asText().equals("retype_field_" + field)).toList();
                    assertThat(checkpoint.get(0).get("op").asText()).isEqualTo("c");
                    assertThat(checkpoint.get(0).at("/after/status").asText()).isEqualTo("running");
                    JsonNode completed = checkpoint.get(checkpoint.size() - 1);
                    assertThat(completed.at("/before/status").asText()).isEqualTo("running");
                    assertThat(completed.at("/after/status").asText()).isEqualTo("completed");
                }
            }
        }
    }

    /** Every row's changes are on the topic in binlog order: (file, position, row) strictly increasing per key. */
    private static void assertCommitOrderPerRow(List<JsonNode> changes) {
        java.util.Map<String, List<JsonNode>> byRow = changes.stream().collect(Collectors.groupingBy(
                e -> e.get("table").asText() + e.get("key"), java.util.LinkedHashMap::new, Collectors.toList()));
        byRow.forEach((row, list) -> {
            for (int i = 1; i < list.size(); i++) {
                JsonNode a = list.get(i - 1).get("source");
                JsonNode b = list.get(i).get("source");
                int byFile = a.get("file").asText().compareTo(b.get("file").asText());
                boolean after = byFile < 0 || byFile == 0 && (a.get("pos").asLong() < b.get("pos").asLong()
                        || a.get("pos").asLong() == b.get("pos").asLong() && a.get("row").asLong() < b.get("row").asLong());
                assertThat(after).as(row + ": " + a + " then " + b).isTrue();
            }
            // each change's before image is the previous change's after image
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i).get("before")).as(row).isEqualTo(list.get(i - 1).get("after"));
            }
        });
    }

    private static List<JsonNode> rowChanges(List<JsonNode> changes, String table, long id) {
        return changes.stream().filter(e -> e.get("table").asText().equals(table) && e.at("/key/id").asLong() == id).toList();
    }

    private static JsonNode single(List<JsonNode> rowChanges, String op) {
        List<JsonNode> found = rowChanges.stream().filter(e -> e.get("op").asText().equals(op)).toList();
        assertThat(found).as(op + " in " + rowChanges).hasSize(1);
        return found.get(0);
    }

    @Test
    void theConnectorParsesTheBootstrapDdlWithTheFunctionalUniqueIndexAndIgnoresPageTables(TestDatabase db, EmbeddedKafka kafka)
            throws Exception {
        db.reset(); // an empty database: bootstrap's DDL reaches the mirror through the binlog, not the snapshot
        MirrorFixture mf = new MirrorFixture(db, kafka);
        try (RegistryMirror mirror = RegistryMirror.start(mf.config(), Clock.systemUTC())) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mirrorStreaming(mf));
            try (EngineFixture fx = EngineFixture.fresh(db)) {
                ModelDefinition m = fx.engine.defineModel(7, "orders", List.of(new FieldSpec("total", DeclaredType.INT, true)));
                fx.engine.provisionPage(List.of("i_int_01"));
                fx.engine.reserveSlot(m.fieldId("total")).orElseThrow();
                List<Published> all = mf.read(l -> l.stream().anyMatch(p -> p.value() != null
                        && p.table().equals("stardust_slot_assignments") && p.value().at("/after/status").asText().equals("assigned")),
                        Duration.ofSeconds(60));
                assertThat(all).anyMatch(p -> p.value() != null && p.table().equals("stardust_slot_assignments")
                        && p.value().at("/after/field_id").asLong() == m.fieldId("total"));
                assertThat(mirror.finished()).isNotDone();
            }
        }
        List<Published> history = mf.read(mf.get("registryMirrorHistoryTopic"), l -> false, Duration.ofSeconds(3));
        String ddl = history.stream().map(p -> p.value().toString()).collect(Collectors.joining("\n"));
        // the stream went past bootstrap's CREATE UNIQUE INDEX ... ((CASE WHEN ...)) to the ALTER that follows it
        assertThat(ddl).contains("ADD COLUMN sweep_gap_count").doesNotContain("entry_slots_page").doesNotContain("entry_data");
    }

    private static String scrape(int port) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The mirror has published its (empty) snapshot and streams: a heartbeat-driven offset exists. */
    private static boolean mirrorStreaming(MirrorFixture mf) {
        return !mf.read(mf.get("registryMirrorOffsetsTopic"), l -> !l.isEmpty(), Duration.ofSeconds(1)).isEmpty();
    }

    private static boolean has(List<Published> l, String table, String op) {
        return l.stream().anyMatch(p -> p.value() != null && p.table().equals(table) && p.value().get("op").asText().equals(op));
    }

    private static List<Long> versions(List<Published> l) {
        return l.stream().filter(p -> p.value() != null && p.table().equals("stardust_schema_version"))
                .map(p -> p.value().at("/after/version").asLong()).toList();
    }

    private static JsonNode single(List<JsonNode> events, String table, String op) {
        List<JsonNode> found = events.stream().filter(e -> e.get("table").asText().equals(table) && e.get("op").asText().equals(op))
                .toList();
        assertThat(found).as(table + " " + op).hasSize(1);
        return found.get(0);
    }
}
