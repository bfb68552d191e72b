package io.stardust.http;

import io.stardust.StarDust;
import io.stardust.engine.access.ApiKeyScope;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.EnumSet;

/** API keys for tests, and requests that carry one. */
final class TestKeys {
    private TestKeys() {
    }

    /** A key of the tenant with every scope. */
    static String allScopes(StarDust engine, long tenant) {
        return engine.apiKeys().create(tenant, "test", EnumSet.allOf(ApiKeyScope.class)).secret();
    }

    static HttpRequest.Builder authed(String key, URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key);
    }
}
