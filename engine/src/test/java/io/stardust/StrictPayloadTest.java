package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the engine refuses instead of storing something else than was sent: documents with trailing content or
 * duplicate keys, numbers a double cannot hold, text with unpaired surrogates; and what it keeps exactly.
 */
@ExtendWith(MySqlExtension.class)
class StrictPayloadTest {
    private static final String OUT_OF_RANGE = "outside the range of a double";
    private static final String TOO_SMALL = "too small for a double";

    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition company;

    StrictPayloadTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true), new FieldSpec("revenue", DeclaredType.NUMERIC, true),
                new FieldSpec("founded", DeclaredType.DATETIME, true), new FieldSpec("city", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private EntryPayload parsed(String fieldsJson) {
        return EntryPayload.fromJson("{\"tenantId\":1,\"modelId\":" + company.modelId() + ",\"fields\":" + fieldsJson + "}");
    }

    private void assertNothingWritten() {
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1")).isZero();
    }

    @Test
    void aPayloadDocumentWithContentAfterItOrADuplicateKeyIsMalformedNotPartlyRead() {
        String one = "{\"tenantId\":1,\"modelId\":" + company.modelId() + ",\"fields\":{\"name\":\"first\"}}";
        for (String doc : List.of(one + one, one + " xyz", one.replace("{\"tenantId\":1,", "{\"tenantId\":1,\"tenantId\":2,"),
                one.replace("\"name\":\"first\"", "\"name\":\"first\",\"name\":\"second\""))) {
            assertThatThrownBy(() -> EntryPayload.fromJson(doc)).as(doc)
                    .isInstanceOfSatisfying(MalformedEntryPayloadException.class, e -> assertThat(e.key()).isNull())
                    .hasMessageContaining("not valid JSON");
        }
        assertThatThrownBy(() -> EntryPayload.listFromJson("[" + one + "] [" + one + "]"))
                .isInstanceOf(MalformedEntryPayloadException.class).hasMessageContaining("unexpected content");
        assertThat(EntryPayload.listFromJson("[" + one + "," + one + "]\n")).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "employees", "revenue", "founded", "city", "unregistered"})
    void numbersADoubleCannotHoldAreUncoercibleInEveryKindOfFieldAndNameIt(String field) {
        for (String number : List.of("1e400", "-1e400", "1E+309", "1" + "0".repeat(400))) {
            assertThatThrownBy(() -> fx.engine.write(parsed("{\"" + field + "\":" + number + "}"))).as(number)
                    .isInstanceOf(UncoercibleSlotValueException.class)
                    .hasMessageContaining("field '" + field + "'").hasMessageContaining(OUT_OF_RANGE);
        }
        for (String number : List.of("1e-400", "-2.5e-330")) {
            assertThatThrownBy(() -> fx.engine.write(parsed("{\"" + field + "\":" + number + "}"))).as(number)
                    .isInstanceOf(UncoercibleSlotValueException.class)
                    .hasMessageContaining("field '" + field + "'").hasMessageContaining(TOO_SMALL);
        }
        assertNothingWritten();
    }

    @Test
    void nestedOutOfRangeNumbersNameTheirPath() {
        assertThatThrownBy(() -> fx.engine.write(parsed("{\"extra\":{\"deep\":[1, 1e400]}}")))
                .isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("field 'extra.deep[1]'");
        assertNothingWritten();
    }

    @Test
    void numbersBuiltInJavaThatJsonCannotHoldAreUncoercibleNotTheStringInfinity() {
        for (Object bad : List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, new BigDecimal("1e400"),
                new BigDecimal("1e-400"))) {
            assertThatThrownBy(() -> fx.engine.write(EntryPayload.of(1, company.modelId(), Map.of("city", bad))))
                    .as(bad.toString()).isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("field 'city'");
        }
        assertNothingWritten();
    }

    @Test
    void coercionMatrixForNegativeZeroAndTheEdgesOfTheDoubleRange() {
        // negative zero: int slot 0, numeric slot zero (MySQL's DOUBLE has no -0; equal for every comparison), string
        // slot "-0" (upstream's rendering), kept as -0.0 in the JSON; a datetime slot refuses it
        long id = fx.engine.write(parsed("{\"employees\":-0.0,\"revenue\":-0.0,\"name\":-0.0,\"city\":-0.0,"
                + "\"max\":1.7976931348623157e308,\"min\":4.9e-324,\"neg\":-0,\"big\":1e300}")).entryId();
        List<Object> slots = fx.rows("SELECT i_int_01, i_num_01, i_str_01 FROM entry_slots_page_1 WHERE entry_id = ?", id).get(0);
        assertThat(slots.get(0)).isEqualTo(0L);
        assertThat(((Number) slots.get(1)).doubleValue() == 0).isTrue();
        assertThat(slots.get(2)).isEqualTo("-0");
        ObjectNode stored = (ObjectNode) Json.parseStored(fx.rows("SELECT fields FROM entry_data WHERE id = ?", id).get(0).get(0).toString());
        assertThat(stored.get("city").doubleValue()).isEqualTo(-0.0);
        assertThat(Double.doubleToRawLongBits(stored.get("city").doubleValue())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(stored.get("max").doubleValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(stored.get("min").doubleValue()).isEqualTo(Double.MIN_VALUE);
        assertThat(stored.get("neg").isIntegralNumber()).isTrue();
        assertThat(stored.get("big").doubleValue()).isEqualTo(1e300);
        assertThat(Json.write(stored)).doesNotContain("Infinity");

        assertThatThrownBy(() -> fx.engine.write(parsed("{\"founded\":-0.0}"))).isInstanceOf(UncoercibleSlotValueException.class)
                .hasMessageContaining("founded");
        assertThatThrownBy(() -> fx.engine.write(parsed("{\"employees\":1e300}"))).isInstanceOf(UncoercibleSlotValueException.class)
                .hasMessageContaining("employees").hasMessageContaining("signed 64-bit range");
        assertThatThrownBy(() -> fx.engine.write(parsed("{\"employees\":1.5}"))).isInstanceOf(UncoercibleSlotValueException.class);
        assertThatThrownBy(() -> fx.engine.write(parsed("{\"revenue\":\"1e-400\"}"))).as("a numeric string that would become 0")
                .isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("revenue").hasMessageContaining(TOO_SMALL);
        assertThatThrownBy(() -> fx.engine.write(parsed("{\"revenue\":\"1e400\"}")))
                .isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("revenue");
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(1);
    }

    @Test
    void unpairedSurrogatesAreRefusedInValuesNamesAndNestedTextNamingThePath() {
        assertSurrogateRefused("{\"name\":\"a\\ud800\"}", "fields.name");
        assertSurrogateRefused("{\"city\":\"\\udc00\"}", "fields.city");
        assertSurrogateRefused("{\"extra\":{\"tags\":[\"ok\",\"b\\ud800\"]}}", "fields.extra.tags[1]");
        assertSurrogateRefused("{\"b\\ud800d\":1}", "fields.b\\ud800d");
        assertSurrogateRefused("{\"extra\":{\"\\udbff\":null}}", "fields.extra.\\udbff");
        assertNothingWritten();
        long id = fx.engine.write(parsed("{\"name\":\"\\ud83d\\ude00\"}")).entryId();
        assertThat(fx.engine.get(1, id).orElseThrow().fields().get("name").textValue()).as("a pair is one code point")
                .isEqualTo("\ud83d\ude00");
    }

    private void assertSurrogateRefused(String fieldsJson, String key) {
        assertThatThrownBy(() -> fx.engine.write(parsed(fieldsJson))).as(fieldsJson)
                .isInstanceOfSatisfying(MalformedEntryPayloadException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageContaining("unpaired UTF-16 surrogate");
    }

    @Test
    void everyWritePathRefusesUnpairedSurrogatesAndOutOfRangeNumbers() {
        ObjectNode bad = (ObjectNode) Json.mapper().valueToTree(Map.of("name", "x\ud800"));
        long id = fx.write(1, company, Map.of("name", "ok"));
        assertThatThrownBy(() -> fx.engine.updateEntry(1, id, bad)).isInstanceOf(MalformedEntryPayloadException.class);
        assertThatThrownBy(() -> fx.engine.upsertByKey(1, company.modelId(), "k", bad))
                .isInstanceOf(MalformedEntryPayloadException.class);
        assertThatThrownBy(() -> fx.engine.upsertByKey(1, company.modelId(), "k\udc00", Json.object()))
                .isInstanceOfSatisfying(MalformedEntryPayloadException.class, e -> assertThat(e.key()).isEqualTo("key"));
        assertThatThrownBy(() -> fx.engine.submitBulkWrite(1, List.of(new EntryPayload(1, company.modelId(), bad)), null))
                .isInstanceOf(MalformedEntryPayloadException.class);
        BulkIngestResult bulk = fx.engine.bulkWrite(List.of(parsed("{\"name\":\"fine\"}"), parsed("{\"city\":1e400}")));
        assertThat(bulk.entriesCommitted()).isZero();
        assertThat(bulk.chunks().get(0).failureReason()).startsWith("UncoercibleSlotValueException:").contains("'city'");
        assertThat(fx.rows("SELECT JSON_UNQUOTE(JSON_EXTRACT(fields, '$.name')) FROM entry_data").toString())
                .isEqualTo("[[ok]]");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_entry_keys")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_import_jobs")).isZero();
    }

    @Test
    void storedNumbersReadBackAsTheSameNumber() {
        JsonNode sent = Json.mapper().valueToTree(Map.of("a", 0.1, "b", 123456789.125, "c", -2.5e-7, "d", 9007199254740993L));
        long id = fx.engine.write(new EntryPayload(1, company.modelId(), (ObjectNode) sent)).entryId();
        ObjectNode back = fx.engine.get(1, id).orElseThrow().fields();
        for (String f : List.of("a", "b", "c")) {
            assertThat(back.get(f).doubleValue()).as(f).isEqualTo(sent.get(f).doubleValue());
        }
        assertThat(back.get("d").longValue()).isEqualTo(9007199254740993L);
    }
}
