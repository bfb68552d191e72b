package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.access.ApiKeyScope;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keys, tenants and scopes, in process: who may call what. */
@ExtendWith(MySqlExtension.class)
class HttpAuthTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private HttpServerApp app;
    private ModelDefinition tenant2Model;
    private long tenant2Entry;

    HttpAuthTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true));
        tenant2Model = fx.modelWithSlots(2, "company", new FieldSpec("name", DeclaredType.STRING, true));
        tenant2Entry = fx.write(2, tenant2Model, Map.of("name", "Secret"));
    }

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.close();
        }
        fx.close();
    }

    private ApiClient start(HttpConfig config, String key) {
        app = HttpServerApp.start(fx.engine, config);
        return new ApiClient(app.baseUrl(), key);
    }

    private HttpConfig config() {
        return HttpConfig.of(fx.engine.config(), 0);
    }

    @Test
    void everyV1RequestWithoutAValidKeyIs401WhileHealthAndMetricsStayOpen() throws Exception {
        var created = fx.engine.apiKeys().create(1, "revoked soon", EnumSet.allOf(ApiKeyScope.class));
        ApiClient none = start(config(), null);
        for (ApiClient c : List.of(none, none.withKey("sdk_wrong"), none.withKey(created.secret() + "x"))) {
            ApiClient.Res r = c.get("/v1/tenants/1/models");
            assertThat(r.status()).as(r.text()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("unauthorized");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(c.get("/v1/no/such/route").status()).as("no route is revealed without a key").isEqualTo(401);
            assertThat(c.get("/v1/openapi.json").status()).isEqualTo(401);
        }
        ApiClient.Res basic = none.send(none.request("/v1/tenants/1/models").header("Authorization", "Basic dTpw").GET());
        assertThat(basic.status()).isEqualTo(401);
        ApiClient valid = none.withKey(created.secret());
        assertThat(valid.get("/v1/tenants/1/models").status()).isEqualTo(200);
        fx.engine.apiKeys().revoke(created.key().id());
        assertThat(valid.get("/v1/tenants/1/models").status()).as("revoked at once").isEqualTo(401);

        assertThat(none.get("/health").status()).isEqualTo(200);
        assertThat(none.get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void aKeyOnAnotherTenantsPathIs403ForEveryDocumentedRouteAndNothingChanges() throws Exception {
        ApiClient tenant1 = start(config(), TestKeys.allScopes(fx.engine, 1));
        long entriesBefore = fx.count("SELECT COUNT(*) FROM entry_data");
        String modelsBefore = fx.rows("SELECT id, name, deleted_at FROM stardust_models ORDER BY id").toString();
        Map<String, String> tenant2 = Map.of("tenant", "2", "model", "company", "id", Long.toString(tenant2Entry),
                "field", "name", "key", "k1");
        int checked = 0;
        for (OpenApiRoutes.Operation op : OpenApiRoutes.operations(OpenApiRoutes.document())) {
            if (!op.template().startsWith("/v1/tenants/{tenant}")) {
                continue;
            }
            ApiClient.Res r = tenant1.send(op.method(), op.path(tenant2), "{\"name\":\"x\",\"type\":\"int\",\"fields\":[]}");
            assertThat(r.status()).as(op.method() + " " + op.template() + ": " + r.text()).isEqualTo(403);
            assertThat(r.error()).isEqualTo("forbidden_tenant");
            assertThat(r.text()).doesNotContain("Secret");
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data")).isEqualTo(entriesBefore);
        assertThat(fx.rows("SELECT id, name, deleted_at FROM stardust_models ORDER BY id").toString()).isEqualTo(modelsBefore);
        assertThat(fx.engine.get(2, tenant2Entry)).isPresent();
    }

    @Test
    void aKeyWithoutTheRoutesScopeIs403InsufficientScopeAndWritesNothing() throws Exception {
        String readOnly = fx.engine.apiKeys().create(1, "reader", EnumSet.of(ApiKeyScope.READ)).secret();
        String writer = fx.engine.apiKeys().create(1, "writer", EnumSet.of(ApiKeyScope.WRITE)).secret();
        ApiClient reader = start(config(), readOnly);
        ApiClient.Res create = reader.post("/v1/tenants/1/models/company/entries", "{\"name\":\"Acme\"}");
        assertThat(create.status()).as(create.text()).isEqualTo(403);
        assertThat(create.error()).isEqualTo("insufficient_scope");
        assertThat(create.body().get("message").asText()).contains("'write'");
        assertThat(reader.post("/v1/tenants/1/models", "{\"name\":\"x\",\"fields\":[]}").error()).isEqualTo("insufficient_scope");
        assertThat(reader.get("/v1/tenants/1/models").status()).isEqualTo(200);

        ApiClient w = reader.withKey(writer);
        assertThat(w.get("/v1/tenants/1/models").error()).as("write does not imply read").isEqualTo("insufficient_scope");
        assertThat(w.delete("/v1/tenants/1/models/company").error()).isEqualTo("insufficient_scope");
        assertThat(w.post("/v1/tenants/1/models/company/entries", "{\"name\":\"Acme\"}").status()).isEqualTo(201);
        assertThat(fx.count("SELECT COUNT(*) FROM entry_data WHERE tenant_id = 1")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_models WHERE tenant_id = 1 AND deleted_at IS NULL")).isEqualTo(1);
    }

    @Test
    void overItsRateAKeyGets429WithRetryAfterWhileAnotherKeyIsStillServed() throws Exception {
        HttpConfig.Limits l = config().limits();
        String busy = TestKeys.allScopes(fx.engine, 1);
        String calm = TestKeys.allScopes(fx.engine, 1);
        ApiClient c = start(config().withLimits(new HttpConfig.Limits(l.maxBodyBytes(), l.bulkMaxBytes(),
                l.bulkMaxEntries(), 3)), busy);
        ApiClient.Res last = null;
        for (int i = 0; i < 10 && (last == null || last.status() != 429); i++) {
            last = c.get("/v1/tenants/1/models");
        }
        assertThat(last.status()).as(last.text()).isEqualTo(429);
        assertThat(last.error()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 2L);
        assertThat(c.withKey(calm).get("/v1/tenants/1/models").status()).isEqualTo(200);
        assertThat(c.get("/health").status()).as("health is not rate limited").isEqualTo(200);
    }
}
