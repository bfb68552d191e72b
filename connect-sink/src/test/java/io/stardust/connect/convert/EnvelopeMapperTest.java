package io.stardust.connect.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.connect.config.SinkConfig.Mapping;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class EnvelopeMapperTest {
    private static final Mapping ENVELOPE = new Mapping("", "", "", "");
    private static final Mapping FLAT = new Mapping("tenant", "company", "", "id");

    private static String value(Mapping m, Object v) {
        byte[] b = new EnvelopeMapper(m).toSource(new SinkRecord("t", 0, null, null, null, v, 5)).value();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void anEnvelopeAsTextOrBytesPassesThroughByteForByte() {
        String env = "{\"tenantId\":1, \"model\":\"company\",\"fields\":{}}";
        assertThat(value(ENVELOPE, env)).isEqualTo(env);
        assertThat(value(ENVELOPE, env.getBytes(StandardCharsets.UTF_8))).isEqualTo(env);
    }

    @Test
    void aSchemalessMapIsWrittenAsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenantId", 1L);
        m.put("model", "company");
        m.put("fields", Map.of("tags", List.of("a", "b")));
        assertThat(value(ENVELOPE, m)).isEqualTo("{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"tags\":[\"a\",\"b\"]}}");
    }

    @Test
    void aStructWithBytesAndADecimalIsWrittenAsJsonWithBase64AndAnExactNumber() {
        Schema s = SchemaBuilder.struct().field("raw", Schema.BYTES_SCHEMA).field("price", Decimal.schema(2)).build();
        Struct v = new Struct(s).put("raw", new byte[] {1, 2}).put("price", new java.math.BigDecimal("10.50"));
        assertThat(value(ENVELOPE, v)).isEqualTo("{\"raw\":\"AQI=\",\"price\":10.50}");
    }

    @Test
    void aFlatRecordBecomesAnEnvelopeWithItsRoutingFieldsMovedOutAndANumericKeyWrittenAsText() {
        assertThat(value(FLAT, "{\"tenant\":3,\"id\":42,\"name\":\"acme\"}"))
                .isEqualTo("{\"tenantId\":3,\"key\":\"42\",\"model\":\"company\",\"fields\":{\"name\":\"acme\"}}");
    }

    @Test
    void aFlatRecordWithoutItsKeyFieldGetsAKeyThePlannerRefusesNamingTheField() {
        assertThat(value(FLAT, "{\"tenant\":3,\"name\":\"acme\"}")).contains("\"key\":{\"missing\":\"id\"}");
    }

    @Test
    void aFlatValueThatIsNotJsonIsPassedOnAsItIsForThePlannerToQuarantine() {
        assertThat(value(FLAT, "{oops")).isEqualTo("{oops");
        assertThat(value(FLAT, "[1]")).isEqualTo("[1]");
    }

    @Test
    void aTombstoneStaysATombstoneAndItsKeyIsText() {
        SinkRecord r = new SinkRecord("t", 0, null, "1/company/k", null, null, 5);
        assertThat(new EnvelopeMapper(FLAT).toSource(r).value()).isNull();
        assertThat(new String(new EnvelopeMapper(FLAT).toSource(r).key(), StandardCharsets.UTF_8)).isEqualTo("1/company/k");
    }
}
