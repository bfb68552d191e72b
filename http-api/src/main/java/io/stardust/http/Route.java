package io.stardust.http;

import io.stardust.daemon.http.HttpError;
import io.stardust.engine.access.ApiKeyScope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's routes: a method, a template of literal and {@code {param}} segments, and the scope a key needs
 * ({@code null}: open, no key). The OpenAPI document ({@code openapi.json}) describes exactly these; a test holds
 * the two together.
 */
enum Route {
    HEALTH("GET", "/health", null),
    METRICS("GET", "/metrics", null),
    OPENAPI("GET", "/v1/openapi.json", null), // any valid key
    ENTRY("GET", "/v1/tenants/{tenant}/entries/{id}", ApiKeyScope.READ),
    ENTRY_REPLACE("PUT", "/v1/tenants/{tenant}/entries/{id}", ApiKeyScope.WRITE),
    ENTRY_DELETE("DELETE", "/v1/tenants/{tenant}/entries/{id}", ApiKeyScope.WRITE),
    MODELS("GET", "/v1/tenants/{tenant}/models", ApiKeyScope.READ),
    MODEL_DEFINE("POST", "/v1/tenants/{tenant}/models", ApiKeyScope.ADMIN),
    MODEL("GET", "/v1/tenants/{tenant}/models/{model}", ApiKeyScope.READ),
    MODEL_DELETE("DELETE", "/v1/tenants/{tenant}/models/{model}", ApiKeyScope.ADMIN),
    MODEL_RENAME("POST", "/v1/tenants/{tenant}/models/{model}/rename", ApiKeyScope.ADMIN),
    MODEL_LIFECYCLE("GET", "/v1/tenants/{tenant}/models/{model}/lifecycle", ApiKeyScope.READ),
    FIELD_RETYPE("POST", "/v1/tenants/{tenant}/models/{model}/fields/{field}/retype", ApiKeyScope.ADMIN),
    FIELD_PROMOTE("POST", "/v1/tenants/{tenant}/models/{model}/fields/{field}/promote", ApiKeyScope.ADMIN),
    FIELD_DEMOTE("POST", "/v1/tenants/{tenant}/models/{model}/fields/{field}/demote", ApiKeyScope.ADMIN),
    FIELD_RENAME("POST", "/v1/tenants/{tenant}/models/{model}/fields/{field}/rename", ApiKeyScope.ADMIN),
    FIELD_DELETE("DELETE", "/v1/tenants/{tenant}/models/{model}/fields/{field}", ApiKeyScope.ADMIN),
    MODEL_ENTRIES("GET", "/v1/tenants/{tenant}/models/{model}/entries", ApiKeyScope.READ),
    ENTRY_CREATE("POST", "/v1/tenants/{tenant}/models/{model}/entries", ApiKeyScope.WRITE),
    ENTRY_BULK("POST", "/v1/tenants/{tenant}/models/{model}/entries:bulk", ApiKeyScope.WRITE),
    MODEL_SEARCH("POST", "/v1/tenants/{tenant}/models/{model}/search", ApiKeyScope.READ),
    KEY_UPSERT("PUT", "/v1/tenants/{tenant}/models/{model}/keys/{key}", ApiKeyScope.WRITE),
    KEY_DELETE("DELETE", "/v1/tenants/{tenant}/models/{model}/keys/{key}", ApiKeyScope.WRITE),
    EXPORT_SUBMIT("POST", "/v1/tenants/{tenant}/models/{model}/exports", ApiKeyScope.EXPORT),
    EXPORTS("GET", "/v1/tenants/{tenant}/models/{model}/exports", ApiKeyScope.EXPORT),
    EXPORT("GET", "/v1/tenants/{tenant}/models/{model}/exports/{id}", ApiKeyScope.EXPORT),
    EXPORT_ARTIFACT("GET", "/v1/tenants/{tenant}/models/{model}/exports/{id}/artifact", ApiKeyScope.EXPORT),
    IMPORTS("GET", "/v1/tenants/{tenant}/imports", ApiKeyScope.READ),
    IMPORT("GET", "/v1/tenants/{tenant}/imports/{id}", ApiKeyScope.READ);

    private final String method;
    private final String template;
    private final ApiKeyScope scope;
    private final boolean open;
    private final String[] parts;

    Route(String method, String template, ApiKeyScope scope) {
        this.method = method;
        this.template = template;
        this.scope = scope;
        this.open = !template.startsWith("/v1/");
        this.parts = template.substring(1).split("/");
    }

    String method() {
        return method;
    }

    String template() {
        return template;
    }

    /** The scope a key needs; null for {@link #OPENAPI} (any key) and the open routes. */
    ApiKeyScope scope() {
        return scope;
    }

    /** Served without a key: health and metrics, for probes and scrapers. */
    boolean open() {
        return open;
    }

    boolean tenantScoped() {
        return template.startsWith("/v1/tenants/");
    }

    /** The path parameters in template order, or null when the segments do not fit this template. */
    private List<String> extract(List<String> segments) {
        if (segments.size() != parts.length) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].startsWith("{")) {
                params.add(segments.get(i));
            } else if (!parts[i].equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }

    /** A matched request: the route and its path parameters in template order. */
    record Match(Route route, List<String> params) {
        String param(int i) {
            return params.get(i);
        }
    }

    /**
     * The route of this method and path: 404 {@code route_not_found} when no template fits, 405
     * {@code method_not_allowed} (with {@code Allow}) when templates fit but not the method.
     */
    static Match match(String method, List<String> segments) {
        Set<String> allowed = new LinkedHashSet<>();
        String template = null;
        for (Route r : values()) {
            List<String> params = r.extract(segments);
            if (params == null) {
                continue;
            }
            template = r.template;
            if (r.method.equals(method)) {
                return new Match(r, params);
            }
            allowed.add(r.method);
        }
        if (template == null) {
            throw new HttpError(404, "route_not_found", "no such endpoint");
        }
        throw new MethodNotAllowed(method, template, String.join(", ", allowed));
    }

    /** 405 with the {@code Allow} header. */
    static final class MethodNotAllowed extends HttpError {
        private final String allow;
        private final String template;

        MethodNotAllowed(String method, String template, String allow) {
            super(405, "method_not_allowed", method + " is not allowed on " + template + "; use " + allow);
            this.allow = allow;
            this.template = template;
        }

        String allow() {
            return allow;
        }

        String template() {
            return template;
        }
    }
}
