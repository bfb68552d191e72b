package io.stardust;

import static io.stardust.filter.Filters.and;
import static io.stardust.filter.Filters.leaf;
import static io.stardust.filter.Filters.not;
import static io.stardust.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stardust.filter.FieldRef;
import io.stardust.filter.FilterNode;
import io.stardust.filter.FilterValue;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.filter.LeafNode;
import io.stardust.filter.Operators;
import io.stardust.filter.ValidationErrorCode;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pre-flight (decisions Q1–Q3): every rejection, its typed exception, error code, pointer and event,
 * and proof that no rejected request runs SQL against entry data.
 *
 * <p>How "no SQL" is proven: the engine runs on a {@link RecordingDataSource}. Each rejection is preceded by one
 * successful read, so the model's snapshot is cached; the rejected call may then only run the schema-version probe
 * (one primary-key read of {@code stardust_schema_version}, which pre-flight needs to know it validates against the
 * current registry) and, for a leaf whose {@code field.model} is not the registered spelling, one registry lookup of
 * that name in {@code stardust_models} (only MySQL applies the name collation exactly). The test asserts that these
 * are the only statements, hence nothing touched {@code entry_data} or a slot page.
 */
@ExtendWith(MySqlExtension.class)
class SearchPreFlightTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private RecordingDataSource recorder;
    private StarDust engine;
    private ModelDefinition m;
    private final JsonFilterDecoder decoder = new JsonFilterDecoder();

    SearchPreFlightTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        recorder = new RecordingDataSource(fx.ds);
        engine = StarDust.create(recorder, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());
        m = fx.modelWithSlots(1, "order",
                new FieldSpec("status", DeclaredType.STRING, true),
                new FieldSpec("amount", DeclaredType.INT, true),
                new FieldSpec("ratio", DeclaredType.NUMERIC, true),
                new FieldSpec("due", DeclaredType.DATETIME, true),
                new FieldSpec("stage", DeclaredType.STRING, true),
                new FieldSpec("old", DeclaredType.INT, true),
                new FieldSpec("note", DeclaredType.STRING, false));
        // stage: mid-backfill; old: tombstoned (field_id kept, so the snapshot sees the state); pending: no slot.
        fx.exec("UPDATE stardust_slot_assignments SET status = 'backfilling' WHERE field_id = " + m.fieldId("stage"),
                "UPDATE stardust_slot_assignments SET status = 'tombstoned' WHERE field_id = " + m.fieldId("old"),
                "UPDATE stardust_schema_version SET version = version + 1");
        engine.defineModel(1, "order", List.of(new FieldSpec("pending", DeclaredType.INT, true)));
        engine.write(EntryPayload.of(1, m.modelId(), Map.of("status", "open", "amount", 5, "stage", "draft")));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private FilterNode wire(String filterJson) {
        return decoder.decode("{\"version\":\"1\",\"filter\":" + filterJson + "}");
    }

    private static String leafJson(String field, String op, String valueJson) {
        return "{\"op\":\"" + op + "\",\"field\":{\"model\":\"order\",\"name\":\"" + field + "\"}"
                + (valueJson == null ? "" : ",\"value\":" + valueJson) + "}";
    }

    /** Runs a read that must be rejected by pre-flight and proves it ran nothing but the schema-version probe. */
    private <T extends QueryFilterValidationException> T rejected(FilterNode filter, Class<T> type) {
        engine.read(EntryQuery.all(1, m.modelId())); // caches the snapshot
        recorder.clear();
        T e = catchThrowableOfType(type, () -> engine.read(EntryQuery.all(1, m.modelId()).withFilter(filter)));
        assertThat(e).as("expected %s", type.getSimpleName()).isNotNull();
        assertThat(recorder.entryDataStatements()).as("statements touching entry data").isEmpty();
        assertThat(recorder.statements()).allMatch(s -> s.contains("stardust_schema_version") || s.contains("FROM stardust_models"));
        return e;
    }

    @Test
    void unknownFieldIsRejectedWithThePointerOfTheLeafAndAnEvent() {
        FilterNode f = wire("{\"op\":\"and\",\"args\":[" + leafJson("status", "eq", "\"open\"") + ","
                + leafJson("nope", "eq", "1") + "]}");
        try (EventCapture events = EventCapture.open()) {
            UnknownFieldException e = rejected(f, UnknownFieldException.class);
            assertThat(e.errorCode()).isEqualTo(ValidationErrorCode.FIELD_UNKNOWN);
            assertThat(e.jsonPointer()).isEqualTo("/filter/args/1/field/name");
            assertThat(e.details()).containsEntry("name", "nope");
            EventCapture.Event ev = events.named("pre_flight_rejected").get(0);
            assertThat(ev.level()).isEqualTo("WARN");
            assertThat(ev.source()).isEqualTo("api");
            assertThat(ev.fields()).containsEntry("reason", "field_unknown").containsEntry("field_name", "nope")
                    .containsEntry("tenant_id", 1L).containsKey("correlation_id");
            assertThat(events.named("search_request")).as("only the warm-up read succeeded").hasSize(1)
                    .allMatch(r -> r.get("tree_node_count").equals(0));
        }
        // Built in code, the leaf has no position: the pointer is the root.
        assertThat(rejected(leaf("nope", "eq", 1), UnknownFieldException.class).jsonPointer()).isEmpty();
        // Field names are case-sensitive, like payload keys.
        rejected(leaf("Status", "eq", "open"), UnknownFieldException.class);
    }

    @Test
    void aLeafNamingAnotherModelIsUnknown_Q3() {
        FilterNode f = wire("{\"op\":\"eq\",\"field\":{\"model\":\"invoice\",\"name\":\"status\"},\"value\":\"open\"}");
        UnknownFieldException e = rejected(f, UnknownFieldException.class);
        assertThat(e.jsonPointer()).isEqualTo("/filter/field/model");
        assertThat(e.details()).containsEntry("model", "invoice");
        // Model names follow the registry's rule (case- and accent-insensitive), so these are the request's model.
        for (String spelling : List.of("ORDER", "Ordér", " order ")) {
            FilterNode same = wire("{\"op\":\"eq\",\"field\":{\"model\":\"" + spelling + "\",\"name\":\"status\"},\"value\":\"open\"}");
            assertThat(engine.read(EntryQuery.all(1, m.modelId()).withFilter(same)).rows()).as(spelling).hasSize(1);
        }
        // A name that resolves, but to another model of the tenant, is still another model.
        engine.defineModel(1, "Invoice", List.of());
        rejected(f, UnknownFieldException.class);
    }

    @Test
    void aFieldNotDeclaredFilterableThrowsFieldNotFilterable() {
        try (EventCapture events = EventCapture.open()) {
            FieldNotFilterableException e = rejected(wire(leafJson("note", "eq", "\"x\"")), FieldNotFilterableException.class);
            assertThat(e).isNotInstanceOf(FieldNotIndexedException.class);
            assertThat(e.errorCode()).isEqualTo(ValidationErrorCode.FIELD_NOT_FILTERABLE);
            assertThat(e.jsonPointer()).isEqualTo("/filter/field/name");
            assertThat(events.named("pre_flight_rejected").get(0).fields()).containsEntry("reason", "field_not_filterable")
                    .containsEntry("field_name", "note");
        }
    }

    @Test
    void aFilterableFieldWithoutAUsableSlotThrowsFieldNotIndexed_Q1() {
        for (String[] c : new String[][] {{"stage", "backfilling"}, {"old", "tombstoned"}, {"pending", "unmapped"}}) {
            FieldNotIndexedException e = rejected(leaf(c[0], "is_null", null), FieldNotIndexedException.class);
            assertThat(e.errorCode()).as(c[0]).isEqualTo(ValidationErrorCode.FIELD_NOT_FILTERABLE);
            assertThat(e.details()).as(c[0]).containsEntry("field_name", c[0]).containsEntry("slot_status", c[1]);
            assertThat(e).isInstanceOf(FieldNotFilterableException.class); // upstream callers still catch it
        }
    }

    @Test
    void aBackfillingFieldReadsFromJsonAndCannotBeFiltered() {
        long id = engine.write(EntryPayload.of(1, m.modelId(), Map.of("stage", "from-json"))).entryId();
        fx.exec("UPDATE entry_slots_page_1 SET i_str_02 = 'planted' WHERE entry_id = " + id);
        Entry row = engine.read(EntryQuery.all(1, m.modelId()).withSelect(List.of("stage"))).rows().stream()
                .filter(r -> r.id() == id).findFirst().orElseThrow();
        assertThat(row.fields().get("stage").asText()).isEqualTo("from-json");
        rejected(leaf("stage", "eq", "planted"), FieldNotIndexedException.class);
        rejected(leaf("stage", "eq", "from-json"), FieldNotIndexedException.class);
    }

    @Test
    void valuesMustSuitTheDeclaredType() {
        record Case(String field, String op, String valueJson, ValidationErrorCode code, String pointer,
                    Map<String, Object> details) {
        }
        ValidationErrorCode mismatch = ValidationErrorCode.VALUE_TYPE_MISMATCH;
        ValidationErrorCode bounds = ValidationErrorCode.VALUE_OUT_OF_BOUNDS;
        List<Case> cases = List.of(
                new Case("status", "eq", "5", mismatch, "/filter/value", Map.of("expected", "string", "received", "int")),
                new Case("status", "eq", "true", mismatch, "/filter/value", Map.of("expected", "string", "received", "bool")),
                new Case("amount", "eq", "\"5\"", mismatch, "/filter/value", Map.of("expected", "int", "received", "string")),
                new Case("amount", "gt", "5.5", mismatch, "/filter/value", Map.of("expected", "int", "received", "float")),
                new Case("amount", "lt", "1e19", bounds, "/filter/value", Map.of("observed", 1e19)),
                new Case("amount", "lt", "9223372036854775808", bounds, "/filter/value", Map.of("observed", 0x1p63)),
                new Case("amount", "between", "[1,\"9\"]", mismatch, "/filter/value/1", Map.of("expected", "int", "received", "string")),
                new Case("amount", "in", "[1,1,false]", mismatch, "/filter/value", Map.of("expected", "int", "received", "bool")),
                new Case("amount", "prefix", "\"1\"", mismatch, "/filter/value", Map.of("expected", "int", "received", "string")),
                new Case("ratio", "eq", "\"0.5\"", mismatch, "/filter/value", Map.of("expected", "numeric", "received", "string")),
                new Case("ratio", "eq", "1e400", mismatch, "/filter/value", Map.of("expected", "numeric", "received", "float")),
                new Case("due", "eq", "\"01/03/2024\"", mismatch, "/filter/value", Map.of("expected", "datetime", "received", "string")),
                new Case("due", "eq", "\"2024-02-30T00:00:00Z\"", mismatch, "/filter/value", Map.of("expected", "datetime", "received", "string")),
                new Case("due", "gte", "1704067200", mismatch, "/filter/value", Map.of("expected", "datetime", "received", "int")),
                new Case("due", "lt", "\"9999-12-31T23:00:00-05:00\"", bounds, "/filter/value", Map.of("observed", "9999-12-31T23:00:00-05:00")));
        for (Case c : cases) {
            QueryFilterValidationException e = rejected(wire(leafJson(c.field(), c.op(), c.valueJson())),
                    QueryFilterValidationException.class);
            assertThat(e.errorCode()).as(c.toString()).isEqualTo(c.code());
            assertThat(e.jsonPointer()).as(c.toString()).isEqualTo(c.pointer());
            assertThat(e.details()).as(c.toString()).isEqualTo(c.details());
        }
    }

    @Test
    void valuesOfTheRightTypeAreAccepted() {
        engine.write(EntryPayload.of(1, m.modelId(), Map.of("amount", 7, "ratio", 2, "due", "2024-03-01T10:00:00Z")));
        List<FilterNode> accepted = List.of(
                wire(leafJson("amount", "eq", "7.0")), // an integral float is an int
                wire(leafJson("amount", "gte", "-9223372036854775808")),
                wire(leafJson("ratio", "eq", "2")), // an integer is numeric
                wire(leafJson("ratio", "between", "[1.5, 2]")),
                wire(leafJson("due", "gte", "\"2024-03-01\"")), // every form a write takes
                wire(leafJson("due", "eq", "\"2024-03-01 10:00:00\"")),
                wire(leafJson("due", "eq", "\"2024-03-01T10:00:00\"")),
                wire(leafJson("due", "eq", "\"2024-03-01T12:00:00.123456+02:00\"")),
                wire(leafJson("due", "prefix", "\"2024-03-01T10:00:00Z\"")), // upstream's odd case: a full RFC 3339 prefix
                wire(leafJson("status", "in", "[\"open\",\"closed\"]")),
                wire(leafJson("amount", "is_not_null", null)));
        for (FilterNode f : accepted) {
            assertThat(engine.read(EntryQuery.all(1, m.modelId()).withFilter(f)).rows()).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void stringsLongerThanTheLimitAreOutOfBounds() {
        // The decoder caps wire strings; a filter built in code reaches pre-flight with any length.
        QueryFilterValidationException e = rejected(leaf("status", "eq", "x".repeat(4097)), QueryFilterValidationException.class);
        assertThat(e.errorCode()).isEqualTo(ValidationErrorCode.VALUE_OUT_OF_BOUNDS);
        assertThat(e.details()).isEqualTo(Map.of("observed", 4097, "limit", 4096));
        QueryFilterValidationException inf = rejected(
                new LeafNode("gt", FieldRef.local("ratio"), FilterValue.of(Double.POSITIVE_INFINITY)),
                QueryFilterValidationException.class);
        assertThat(inf.errorCode()).isEqualTo(ValidationErrorCode.VALUE_TYPE_MISMATCH);
    }

    @Test
    void eachStageWalksTheWholeTreeBeforeTheNext() {
        // A bad value in the first leaf loses to an unknown field in a later one, inside OR and NOT too.
        FilterNode f = or(leaf("amount", "eq", "x"), not(leaf("nope", "eq", 1)));
        assertThat(rejected(f, QueryFilterValidationException.class).errorCode()).isEqualTo(ValidationErrorCode.FIELD_UNKNOWN);
        f = and(leaf("amount", "eq", "x"), leaf("note", "eq", "a"));
        assertThat(rejected(f, QueryFilterValidationException.class).errorCode()).isEqualTo(ValidationErrorCode.FIELD_NOT_FILTERABLE);
        f = and(leaf("amount", "eq", 1), leaf("status", "eq", 2), leaf("amount", "eq", "3"));
        QueryFilterValidationException e = rejected(f, QueryFilterValidationException.class);
        assertThat(e.errorCode()).isEqualTo(ValidationErrorCode.VALUE_TYPE_MISMATCH);
        assertThat(e.details()).containsEntry("expected", "string");
    }

    @Test
    void checksRunBeforeAnySqlAndBeforeTheCursor() {
        recorder.clear();
        assertThatThrownBy(() -> engine.read(EntryQuery.all(0, m.modelId()).withFilter(leaf("status", "eq", "x"))))
                .isInstanceOf(InvalidTenantIdException.class);
        assertThat(recorder.statements()).isEmpty();
        // Another tenant's model: refused by the registry snapshot, never by a query of entry data.
        recorder.clear();
        assertThatThrownBy(() -> engine.read(EntryQuery.all(2, m.modelId()).withFilter(leaf("status", "eq", "x"))))
                .isInstanceOf(ModelNotFoundException.class);
        assertThat(recorder.entryDataStatements()).isEmpty();
        // A bad filter is reported before a bad cursor.
        EntryQuery both = EntryQuery.all(1, m.modelId()).withFilter(leaf("nope", "eq", 1)).withCursor("!!");
        assertThatThrownBy(() -> engine.read(both)).isInstanceOf(UnknownFieldException.class);
        assertThatThrownBy(() -> engine.read(both.withFilter(leaf("status", "eq", "x"))))
                .isInstanceOf(InvalidCursorException.class);
    }

    @Test
    void everyPreFlightCodeIsRaisedByTheEngine() {
        Set<ValidationErrorCode> seen = EnumSet.noneOf(ValidationErrorCode.class);
        seen.add(rejected(leaf("nope", "eq", 1), QueryFilterValidationException.class).errorCode());
        seen.add(rejected(leaf("note", "eq", "x"), QueryFilterValidationException.class).errorCode());
        seen.add(rejected(leaf("amount", "eq", "x"), QueryFilterValidationException.class).errorCode());
        seen.add(rejected(leaf("amount", "eq", 1e30), QueryFilterValidationException.class).errorCode());
        // The native driver supports the whole v1 set; capability_unsupported needs a driver without an operator.
        assertThat(engine.searchDriver().supportedOperators()).containsExactlyElementsOf(Operators.LEAF_OPERATORS);
        EntrySearchDriver nativeDriver = engine.searchDriver();
        SearchDriverInjectionTest.StubDriver noPrefix = new SearchDriverInjectionTest.StubDriver(nativeDriver);
        StarDust limited = StarDust.create(recorder, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()),
                Clock.systemUTC(), noPrefix);
        limited.read(EntryQuery.all(1, m.modelId()));
        recorder.clear();
        QueryFilterValidationException e = catchThrowableOfType(QueryFilterValidationException.class,
                () -> limited.read(EntryQuery.all(1, m.modelId()).withFilter(leaf("status", "prefix", "o"))));
        assertThat(recorder.entryDataStatements()).isEmpty();
        seen.add(e.errorCode());
        assertThat(seen).containsExactlyInAnyOrder(ValidationErrorCode.FIELD_UNKNOWN, ValidationErrorCode.FIELD_NOT_FILTERABLE,
                ValidationErrorCode.VALUE_TYPE_MISMATCH, ValidationErrorCode.VALUE_OUT_OF_BOUNDS,
                ValidationErrorCode.CAPABILITY_UNSUPPORTED);
        // With the decoder's nine (QueryFilterSchemaConformanceTest), that is the whole closed taxonomy.
        assertThat(EnumSet.complementOf(EnumSet.copyOf(seen))).allMatch(ValidationErrorCode::isDecoderOwned);
    }
}
