package io.stardust.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.stardust.Entry;
import io.stardust.EntryQuery;
import io.stardust.InvalidCursorException;
import io.stardust.InvalidTenantIdException;
import io.stardust.ModelDescription;
import io.stardust.ModelNotFoundException;
import io.stardust.ModelSummary;
import io.stardust.PageSizeOutOfRangeException;
import io.stardust.QueryFilterValidationException;
import io.stardust.SearchRequest;
import io.stardust.StarDust;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Routes and serves every request of the read-only API. One handler on {@code /} (rather than one per context)
 * because the JDK server matches contexts by prefix only; path templates are matched here.
 *
 * <p>Every response is JSON. Errors are {@code {"error": code, "message": ...}}, except rejected filters, which
 * answer 422 with the engine's own validation document so clients see the same object as {@code filter:check}.
 */
final class ApiHandler implements HttpHandler {
    /** The closed vocabulary this module logs (source {@code http}). */
    static final List<String> EVENTS = List.of("http_request", "http_error", "http_started", "http_stopped");

    /** How much of a refused body is skipped, as a multiple of the limit, before the connection is dropped. */
    private static final int DISCARD_FACTOR = 16;

    private final StarDust engine;
    private final JsonFilterDecoder decoder;
    private final int maxBodyBytes;
    private final EventLog events;

    ApiHandler(StarDust engine, EventLog events) {
        this.engine = engine;
        this.decoder = new JsonFilterDecoder(engine.config().filterLimits());
        this.maxBodyBytes = engine.config().filterLimits().maxPayloadBytes();
        this.events = events;
    }

    /** A matched request: the route template (for logs), its path parameters, the query and the correlation id. */
    private record Call(HttpExchange exchange, String route, List<String> params, QueryParams query, String correlationId) {
        String param(int i) {
            return params.get(i);
        }
    }

    /** What a route answers on success. */
    private record Reply(int status, JsonNode body) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String correlationId = UUID.randomUUID().toString();
        String route = "unmatched";
        String tenant = null;
        int status;
        String body;
        try {
            List<String> segments = segments(exchange.getRequestURI().getRawPath());
            Match r = Route.match(segments);
            route = r.template();
            if (r.params().size() > 0 && route.startsWith("/v1/tenants/")) {
                tenant = r.params().get(0);
            }
            if (!r.method().equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", r.method());
                throw new ApiException(405, "method_not_allowed",
                        exchange.getRequestMethod() + " is not allowed on " + route + "; use " + r.method());
            }
            Call call = new Call(exchange, route, r.params(), QueryParams.parse(exchange.getRequestURI().getRawQuery()),
                    correlationId);
            Reply reply = dispatch(r, call);
            status = reply.status();
            body = Json.write(reply.body());
        } catch (ApiException e) {
            status = e.status();
            body = error(e.code(), e.getMessage());
        } catch (QueryFilterValidationException e) {
            status = 422;
            body = e.toJson();
        } catch (InvalidTenantIdException e) {
            status = 400;
            body = error("invalid_tenant", e.getMessage());
        } catch (PageSizeOutOfRangeException e) {
            status = 400;
            body = error("page_size_out_of_range", e.getMessage());
        } catch (InvalidCursorException e) {
            status = 400;
            body = error("invalid_cursor", e.getMessage());
        } catch (ModelNotFoundException e) {
            status = 404;
            body = error("model_not_found", e.getMessage());
        } catch (RuntimeException e) {
            // Never a stack trace on the wire: the detail goes to the log under the correlation id the client gets.
            status = 500;
            body = error("internal", "internal error; correlation id " + correlationId);
            events.error("http_error", e, "correlation_id", correlationId, "method", exchange.getRequestMethod(),
                    "route", route, "tenant_id", tenant);
        }
        try {
            send(exchange, status, body, correlationId);
        } finally {
            events.info("http_request", "correlation_id", correlationId, "method", exchange.getRequestMethod(),
                    "route", route, "status", status, "latency_ms", (System.nanoTime() - started) / 1_000_000,
                    "tenant_id", tenant);
            exchange.close();
        }
    }

    private Reply dispatch(Match m, Call c) throws IOException {
        return switch (m.route()) {
            case HEALTH -> health();
            case ENTRY -> getEntry(c);
            case MODELS -> new Reply(200, ModelJson.list(engine.listModels(tenant(c))));
            case MODEL -> new Reply(200, ModelJson.describe(describe(c)));
            case MODEL_ENTRIES -> page(c, null);
            case MODEL_SEARCH -> page(c, readFilter(c.exchange()));
        };
    }

    private Reply health() {
        try {
            engine.schemaVersion();
            ObjectNode ok = Json.object().put("status", "ok");
            return new Reply(200, ok);
        } catch (RuntimeException e) {
            return new Reply(503, Json.object().put("error", "unavailable").put("message", "database query failed"));
        }
    }

    private Reply getEntry(Call c) {
        long tenant = tenant(c);
        long id = longParam(c.param(1), "entry id");
        Entry entry = engine.get(tenant, id).orElseThrow(() -> ApiException.notFound("no entry " + id + " for tenant " + tenant));
        return new Reply(200, EntryJson.entry(entry));
    }

    private ModelDescription describe(Call c) {
        long tenant = tenant(c);
        ModelSummary m = model(c, tenant);
        return engine.describeModel(tenant, m.modelId())
                .orElseThrow(() -> new ApiException(404, "model_not_found", "tenant " + tenant + " has no model named '" + m.name() + "'"));
    }

    private Reply page(Call c, FilterNode filter) {
        long tenant = tenant(c);
        int pageSize = c.query().intOr("pageSize", EntryQuery.DEFAULT_PAGE_SIZE);
        ModelSummary m = model(c, tenant);
        EntryQuery q = new EntryQuery(tenant, m.modelId(), filter, c.query().select(), pageSize, c.query().get("cursor"));
        return new Reply(200, EntryJson.page(engine.search(SearchRequest.of(q).withCorrelationId(c.correlationId()))));
    }

    private ModelSummary model(Call c, long tenant) {
        String name = c.param(1);
        return engine.findModel(tenant, name)
                .orElseThrow(() -> new ApiException(404, "model_not_found", "tenant " + tenant + " has no model named '" + name + "'"));
    }

    /**
     * The filter document. At most limit + 1 bytes are ever read, so an oversized body costs bounded memory; a
     * declared length above the limit is refused before reading anything.
     */
    private FilterNode readFilter(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    throw tooLarge(exchange);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad_request", "Content-Length is not a number");
            }
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge(exchange);
        }
        // Syntax is checked here so a non-JSON body is a 400 (a bad request), not a 422 (a bad filter).
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "request body is not valid JSON");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw ApiException.badRequest("malformed_json", "request body is empty; send a filter document");
        }
        return decoder.decode(bytes);
    }

    private ApiException tooLarge(HttpExchange exchange) {
        discardRest(exchange.getRequestBody());
        return new ApiException(413, "payload_too_large", "filter document exceeds " + maxBodyBytes + " bytes");
    }

    /**
     * Skips (never stores) what is left of a refused body, up to a bound: closing a socket with unread input makes
     * TCP reset it, and the client then loses our 413. Beyond the bound the connection is simply closed.
     */
    private void discardRest(InputStream in) {
        long budget = DISCARD_FACTOR * (long) maxBodyBytes;
        // read(), not skip(): the JDK's body stream delegates skip() to the socket and would read past the body.
        byte[] scratch = new byte[8192];
        try {
            while (budget > 0) {
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, budget));
                if (n < 0) {
                    return;
                }
                budget -= n;
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private static long tenant(Call c) {
        return longParam(c.param(0), "tenant id");
    }

    private static long longParam(String raw, String what) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_parameter", what + " must be an integer, got '" + raw + "'");
        }
    }

    private static String error(String code, String message) {
        return Json.write(Json.object().put("error", code).put("message", message));
    }

    private static void send(HttpExchange exchange, int status, String body, String correlationId) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("X-Correlation-Id", correlationId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Path segments, each percent-decoded on its own so an encoded '/' stays inside its segment. */
    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            try {
                // '+' is literal in a path; URLDecoder would turn it into a space.
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_path", "malformed percent-encoding in the path");
            }
        }
        return out;
    }

    /** The API's routes: a template of literal and {@code {param}} segments, and the one method each accepts. */
    private enum Route {
        HEALTH("GET", "/health"),
        ENTRY("GET", "/v1/tenants/{tenant}/entries/{id}"),
        MODELS("GET", "/v1/tenants/{tenant}/models"),
        MODEL("GET", "/v1/tenants/{tenant}/models/{model}"),
        MODEL_ENTRIES("GET", "/v1/tenants/{tenant}/models/{model}/entries"),
        MODEL_SEARCH("POST", "/v1/tenants/{tenant}/models/{model}/search");

        private final String method;
        private final String template;
        private final String[] parts;

        Route(String method, String template) {
            this.method = method;
            this.template = template;
            this.parts = template.substring(1).split("/");
        }

        String method() {
            return method;
        }

        String template() {
            return template;
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

        static Match match(List<String> segments) {
            for (Route r : values()) {
                List<String> params = r.extract(segments);
                if (params != null) {
                    return new Match(r, params);
                }
            }
            throw new ApiException(404, "route_not_found", "no such endpoint");
        }
    }

    private record Match(Route route, List<String> params) {
        String method() {
            return route.method();
        }

        String template() {
            return route.template();
        }
    }
}
