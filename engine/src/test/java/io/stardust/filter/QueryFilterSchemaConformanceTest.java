package io.stardust.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.stardust.QueryFilterValidationException;
import io.stardust.StarDustConfig.FilterLimits;
import io.stardust.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs one corpus ({@code filter-corpus/cases.json}) through both the shipped JSON Schema and the decoder, and fails
 * when their verdicts diverge, except for the asymmetries a case declares: {@code unknown_key} (only the
 * schema rejects) and {@code depth}, {@code node_count}, {@code payload_bytes}, {@code string_length} (only the
 * decoder rejects).
 */
class QueryFilterSchemaConformanceTest {
    private static final String SCHEMA_RESOURCE = "/schemas/queryfilter.schema.json";
    private static final Set<String> SCHEMA_ONLY_REJECTS = Set.of("unknown_key");
    private static final Set<String> DECODER_ONLY_REJECTS = Set.of("depth", "node_count", "payload_bytes", "string_length");
    private static final ObjectReader STRICT = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static JsonNode schemaDocument;
    private static JsonSchema schema;
    private static List<Case> cases;

    record Case(String name, String text, boolean accept, String errorCode, String pointer, JsonNode ast,
                FilterLimits limits, String asymmetry) {
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = QueryFilterSchemaConformanceTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            assertThat(in).as("schema on the main classpath").isNotNull();
            schemaDocument = Json.mapper().readTree(in);
        }
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaDocument);
        try (InputStream in = QueryFilterSchemaConformanceTest.class.getResourceAsStream("/filter-corpus/cases.json")) {
            cases = new ArrayList<>();
            for (JsonNode c : Json.mapper().readTree(in).get("cases")) {
                cases.add(parseCase(c));
            }
        }
    }

    @Test
    void schemaShipsWithTheExpectedIdAndDraft() {
        assertThat(schemaDocument.get("$id").asText()).isEqualTo("https://stardust.internal/schemas/queryfilter/v1");
        assertThat(schemaDocument.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schemaDocument.at("/$defs/node/oneOf")).hasSize(15);
    }

    @Test
    void corpusCoversEveryDecoderErrorCode() {
        Set<ValidationErrorCode> seen = EnumSet.noneOf(ValidationErrorCode.class);
        cases.stream().filter(c -> !c.accept()).forEach(c -> seen.add(ValidationErrorCode.fromCode(c.errorCode())));
        Set<ValidationErrorCode> decoderCodes = EnumSet.noneOf(ValidationErrorCode.class);
        for (ValidationErrorCode code : ValidationErrorCode.values()) {
            if (code.isDecoderOwned()) {
                decoderCodes.add(code);
            }
        }
        assertThat(decoderCodes).hasSize(9);
        assertThat(seen).isEqualTo(decoderCodes);
    }

    @Test
    void corpusExercisesEveryDeclaredAsymmetryAndTheSymmetricCasesDominate() {
        Set<String> declared = new java.util.HashSet<>();
        cases.stream().map(Case::asymmetry).filter(a -> a != null).forEach(declared::add);
        Set<String> all = new java.util.HashSet<>(SCHEMA_ONLY_REJECTS);
        all.addAll(DECODER_ONLY_REJECTS);
        assertThat(declared).isEqualTo(all);
        assertThat(cases.stream().filter(c -> c.asymmetry() == null).count()).isGreaterThan(80);
    }

    @Test
    void schemaIsStricterOnUnknownNodeKeys() {
        String body = "{\"filter\":{\"op\":\"is_null\",\"field\":{\"model\":\"m\",\"name\":\"f\"},\"extra\":true}}";
        assertThat(schemaAccepts(body)).isFalse();
        assertThat(new JsonFilterDecoder().decode(body)).isEqualTo(LeafNode.of(new FieldRef("m", "f"), "is_null", null));
    }

    @TestFactory
    Stream<DynamicTest> schemaAndDecoderAgreeOnTheCorpus() {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        JsonFilterDecoder decoder = new JsonFilterDecoder(c.limits());
        boolean decoderAccepts;
        try {
            FilterNode decoded = decoder.decode(c.text());
            decoderAccepts = true;
            if (c.ast() != null) {
                JsonNode actual = decoded == null ? Json.mapper().nullNode()
                        : Json.parseStored(Json.write(JsonFilterEncoder.toWireJson(decoded)));
                assertThat(actual).as("decoded AST").isEqualTo(c.ast());
            }
        } catch (QueryFilterValidationException e) {
            decoderAccepts = false;
            if (!c.accept()) {
                assertThat(e.errorCode().code()).as("error code (%s)", e.getMessage()).isEqualTo(c.errorCode());
                assertThat(e.jsonPointer()).as("pointer (%s)", e.getMessage()).isEqualTo(c.pointer());
            }
        }
        assertThat(decoderAccepts).as("decoder verdict").isEqualTo(c.accept());

        boolean schemaAccepts = schemaAccepts(c.text());
        if (c.asymmetry() == null) {
            assertThat(schemaAccepts).as("schema verdict must match the decoder's").isEqualTo(decoderAccepts);
        } else if (SCHEMA_ONLY_REJECTS.contains(c.asymmetry())) {
            assertThat(decoderAccepts).as("decoder ignores " + c.asymmetry()).isTrue();
            assertThat(schemaAccepts).as("schema rejects " + c.asymmetry()).isFalse();
        } else {
            assertThat(DECODER_ONLY_REJECTS).contains(c.asymmetry());
            assertThat(decoderAccepts).as("decoder enforces " + c.asymmetry()).isFalse();
            assertThat(schemaAccepts).as("schema has no " + c.asymmetry() + " rule").isTrue();
        }
    }

    /** A document that is not JSON at all cannot satisfy any schema. */
    private static boolean schemaAccepts(String text) {
        JsonNode doc;
        try {
            doc = STRICT.readTree(text);
        } catch (IOException e) {
            return false;
        }
        if (doc == null || doc.isMissingNode()) {
            return false;
        }
        Set<ValidationMessage> errors = schema.validate(doc);
        return errors.isEmpty();
    }

    private static Case parseCase(JsonNode c) {
        String name = c.get("name").asText();
        String text = c.has("payloadText") ? c.get("payloadText").asText() : Json.write(c.get("payload"));
        boolean accept = switch (c.get("expect").asText()) {
            case "accept" -> true;
            case "reject" -> false;
            default -> throw new IllegalArgumentException(name + ": expect must be accept or reject");
        };
        String errorCode = c.has("errorCode") ? c.get("errorCode").asText() : null;
        String pointer = c.has("pointer") ? c.get("pointer").asText() : null;
        if (!accept && (errorCode == null || pointer == null)) {
            throw new IllegalArgumentException(name + ": a rejection needs errorCode and pointer");
        }
        FilterLimits d = FilterLimits.DEFAULTS;
        JsonNode l = c.path("limits");
        FilterLimits limits = new FilterLimits(l.path("maxDepth").asInt(d.maxDepth()), l.path("maxNodes").asInt(d.maxNodes()),
                l.path("maxArgs").asInt(d.maxArgs()), l.path("maxInElements").asInt(d.maxInElements()),
                l.path("maxStringLength").asInt(d.maxStringLength()), l.path("maxPayloadBytes").asInt(d.maxPayloadBytes()));
        String asymmetry = c.has("asymmetry") ? c.get("asymmetry").asText() : null;
        return new Case(name, text, accept, errorCode, pointer, c.get("ast"), limits, asymmetry);
    }
}
