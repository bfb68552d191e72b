package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shipped OpenAPI document and the server agree route for route, and its examples fit its schemas. */
@ExtendWith(MySqlExtension.class)
class OpenApiDocumentTest {
    private static Set<String> documented() throws Exception {
        return OpenApiRoutes.operations(OpenApiRoutes.document()).stream()
                .map(o -> o.method() + " " + o.template()).collect(Collectors.toSet());
    }

    @Test
    void theDocumentListsExactlyTheRoutesOfTheRouterWithTheirScopes() throws Exception {
        Set<String> routed = Arrays.stream(Route.values()).map(r -> r.method() + " " + r.template())
                .collect(Collectors.toSet());
        assertThat(documented()).isEqualTo(routed);
        assertThat(OpenApiRoutes.document().get("openapi").asText()).startsWith("3.1");
        for (OpenApiRoutes.Operation op : OpenApiRoutes.operations(OpenApiRoutes.document())) {
            Route route = Arrays.stream(Route.values()).filter(r -> r.method().equals(op.method())
                    && r.template().equals(op.template())).findFirst().orElseThrow();
            JsonNode scope = op.node().get("x-stardust-scope");
            assertThat(scope == null ? null : scope.asText()).as(op.method() + " " + op.template())
                    .isEqualTo(route.scope() == null ? null : route.scope().wireName());
            assertThat(op.node().get("security").isEmpty()).as(op.template() + " is open").isEqualTo(route.open());
        }
    }

    @Test
    void everyDocumentedRouteIsAnsweredByTheServerAndItServesTheDocument(TestDatabase db) throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true));
            long id = fx.write(1, fx.engine.findModel(1, "company").map(m -> new io.stardust.ModelDefinition(m.modelId(),
                    Map.of())).orElseThrow(), Map.of("name", "Acme"));
            try (HttpServerApp app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0))) {
                ApiClient api = new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, 1));
                Map<String, String> params = Map.of("tenant", "1", "model", "company", "id", Long.toString(id),
                        "field", "name", "key", "k1");
                List<String> unanswered = new ArrayList<>();
                // Deletions last, so the routes after them still find their model.
                List<OpenApiRoutes.Operation> ops = new ArrayList<>(OpenApiRoutes.operations(OpenApiRoutes.document()));
                ops.sort((a, b) -> Boolean.compare(a.method().equals("DELETE"), b.method().equals("DELETE")));
                for (OpenApiRoutes.Operation op : ops) {
                    ApiClient.Res r = api.send(op.method(), op.path(params), "{}");
                    // without kafkaBootstrap the imports routes answer their documented 503
                    boolean documented503 = r.status() == 503 && "imports_unavailable".equals(r.error());
                    if (r.status() == 404 && "route_not_found".equals(r.error()) || r.status() == 405
                            || r.status() >= 500 && !documented503) {
                        unanswered.add(op.method() + " " + op.template() + " -> " + r.status() + " " + r.text());
                    }
                }
                assertThat(unanswered).isEmpty();
                ApiClient.Res served = api.get("/v1/openapi.json");
                assertThat(served.status()).isEqualTo(200);
                assertThat(served.body()).isEqualTo(OpenApiRoutes.document());
                assertThat(api.get("/v1/tenants/1/undocumented").error()).isEqualTo("route_not_found");
            }
        }
    }

    @Test
    void everyExampleValidatesAgainstItsSchema() throws Exception {
        JsonNode doc = OpenApiRoutes.document();
        // The document's references point into components; as a JSON Schema they are $defs of each example's schema.
        String defs = Json.write(doc.get("components").get("schemas")).replace("#/components/schemas/", "#/$defs/");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        List<String> checked = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (OpenApiRoutes.Operation op : OpenApiRoutes.operations(doc)) {
            List<JsonNode> media = new ArrayList<>();
            if (op.node().has("requestBody")) {
                op.node().get("requestBody").get("content").forEach(media::add);
            }
            op.node().get("responses").forEach(resp -> {
                JsonNode r = resp.has("$ref") ? doc.get("components").get("responses")
                        .get(resp.get("$ref").asText().substring("#/components/responses/".length())) : resp;
                if (r.has("content")) {
                    r.get("content").forEach(media::add);
                }
            });
            for (JsonNode m : media) {
                if (!m.has("example") || m.get("example").isTextual()) {
                    continue; // NDJSON bodies are text
                }
                ObjectNode schema = (ObjectNode) Json.parse(Json.write(m.get("schema")).replace("#/components/schemas/", "#/$defs/"));
                schema.set("$defs", Json.parse(defs));
                schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
                JsonSchema s = factory.getSchema(schema);
                Set<ValidationMessage> errors = s.validate(m.get("example"));
                checked.add(op.method() + " " + op.template());
                if (!errors.isEmpty()) {
                    invalid.add(op.method() + " " + op.template() + ": " + errors);
                }
            }
        }
        assertThat(invalid).isEmpty();
        assertThat(checked).hasSizeGreaterThan(40);
    }
}
