package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class HttpMetricsTest {
    @Test
    void metricsCountRequestsByRouteTemplateAndStatusWithLatencyBuckets(TestDatabase db) throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            fx.modelWithSlots(1, "company", new FieldSpec("name", DeclaredType.STRING, true));
            try (HttpServerApp app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0))) {
                ApiClient api = new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, 1));
                api.get("/v1/tenants/1/models/company");
                api.get("/v1/tenants/1/models/company");
                api.get("/v1/tenants/1/models/nope");
                api.withKey(null).get("/v1/tenants/1/models");
                String text = api.withKey(null).get("/metrics").text();
                assertThat(text).contains("stardust_http_requests_seconds_count{method=\"GET\","
                        + "route=\"/v1/tenants/{tenant}/models/{model}\",status=\"200\"} 2");
                assertThat(text).contains("route=\"/v1/tenants/{tenant}/models/{model}\",status=\"404\"} 1");
                assertThat(text).contains("route=\"unmatched\",status=\"401\"} 1");
                assertThat(text).containsPattern("stardust_http_requests_seconds_bucket\\{method=\"GET\",route=\"/v1/tenants/\\{tenant\\}/models/\\{model\\}\",status=\"200\",le=\"[0-9.]+\"} 2");
            }
        }
    }

    @Test
    void withAStatusPortHealthAndMetricsAreServedThereWithoutAKeyAndNotOnTheApiPort(TestDatabase db) throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            try (HttpServerApp app = HttpServerApp.start(fx.engine, HttpConfig.of(fx.engine.config(), 0).withStatusPort(0))) {
                assertThat(app.statusPort()).isNotEqualTo(app.port());
                ApiClient status = new ApiClient(app.statusBaseUrl(), null);
                ApiClient api = new ApiClient(app.baseUrl(), TestKeys.allScopes(fx.engine, 1));
                assertThat(api.get("/v1/tenants/1/models").status()).isEqualTo(200);
                assertThat(status.get("/health").status()).isEqualTo(200);
                assertThat(status.get("/metrics").text()).contains("route=\"/v1/tenants/{tenant}/models\",status=\"200\"} 1");
                assertThat(status.get("/v1/tenants/1/models").error()).isEqualTo("route_not_found");
                assertThat(api.get("/health").error()).isEqualTo("route_not_found");
                assertThat(api.get("/metrics").status()).isEqualTo(404);
            }
        }
    }
}
