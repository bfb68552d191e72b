package io.stardust.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistryChangeCodecTest {
    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    static RegistryChange change(Op op, long id, long version, String file, long pos, int row) {
        ObjectNode key = N.objectNode().put("id", id);
        ObjectNode before = op == Op.CREATE || op == Op.SNAPSHOT ? null : N.objectNode().put("id", id).put("version", version - 1);
        ObjectNode after = op == Op.DELETE ? null : N.objectNode().put("id", id).put("version", version);
        return new RegistryChange(op, "stardust_schema_version", key, before, after,
                new SourcePosition(file, pos, row, null, 1, op == Op.SNAPSHOT), Instant.parse("2026-11-29T21:00:00Z"));
    }

    /** Changes compare by their wire form: JSON numbers decode as the narrowest node type. */
    static String wire(RegistryChange c) {
        return new String(RegistryChangeCodec.encodeValue(c), StandardCharsets.UTF_8);
    }

    @Test
    void anEncodedChangeDecodesToTheSameChangeAndIsValidAgainstTheSchema() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/registry-change.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        for (Op op : Op.values()) {
            RegistryChange c = change(op, 1, 5, "binlog.000003", 1234, 2);
            byte[] value = RegistryChangeCodec.encodeValue(c);
            assertThat(wire(RegistryChangeCodec.decode(value))).isEqualTo(wire(c));
            assertThat(schema.validate(new ObjectMapper().readTree(value))).as(op.name()).isEmpty();
        }
        assertThat(new String(RegistryChangeCodec.encodeKey(change(Op.UPDATE, 1, 5, "binlog.000003", 1, 0)), StandardCharsets.UTF_8))
                .isEqualTo("{\"table\":\"stardust_schema_version\",\"key\":{\"id\":1}}");
    }

    @Test
    void theIdempotencyKeyIsTableKeyAndSourcePosition() {
        RegistryChange c = change(Op.UPDATE, 1, 5, "binlog.000003", 1234, 2);
        assertThat(c.idempotencyKey()).isEqualTo("{\"table\":\"stardust_schema_version\",\"key\":{\"id\":1}}@binlog.000003:1234:2");
        assertThat(change(Op.UPDATE, 1, 6, "binlog.000003", 1234, 3).idempotencyKey()).isNotEqualTo(c.idempotencyKey());
    }

    @Test
    void positionsCompareByFileSequenceThenPositionThenRow() {
        SourcePosition a = new SourcePosition("binlog.000009", 900, 0, null, 1, false);
        SourcePosition b = new SourcePosition("binlog.000010", 4, 0, null, 1, false);
        SourcePosition c = new SourcePosition("binlog.000010", 4, 1, null, 1, false);
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
    }

    @Test
    void aRecordThatIsNotAChangeEventIsRejectedNamingWhatIsWrong() {
        assertThatThrownBy(() -> RegistryChangeCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRegistryChangeException.class).hasMessageContaining("not JSON");
        String noOp = new String(RegistryChangeCodec.encodeValue(change(Op.UPDATE, 1, 5, "binlog.000001", 1, 0)), StandardCharsets.UTF_8)
                .replace("\"op\":\"u\"", "\"op\":\"x\"");
        assertThatThrownBy(() -> RegistryChangeCodec.decode(noOp.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRegistryChangeException.class).hasMessageStartingWith("/op:");
        String badVersion = noOp.replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        assertThatThrownBy(() -> RegistryChangeCodec.decode(badVersion.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRegistryChangeException.class).hasMessageStartingWith("/schemaVersion:");
        assertThatThrownBy(() -> RegistryChangeCodec.decode(null)).isInstanceOf(MalformedRegistryChangeException.class)
                .hasMessageContaining("tombstone");
    }
}
