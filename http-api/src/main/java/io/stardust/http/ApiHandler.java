package io.stardust.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.Entry;
import io.stardust.EntryQuery;
import io.stardust.InvalidCursorException;
import io.stardust.ModelDescription;
import io.stardust.ModelNotFoundException;
import io.stardust.ModelSummary;
import io.stardust.PageSizeOutOfRangeException;
import io.stardust.QueryFilterValidationException;
import io.stardust.SearchRequest;
import io.stardust.StarDust;
import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.daemon.http.HttpService;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes and serves every request of the read-only API. Path templates are matched here, segment by segment.
 *
 * <p>Every response is JSON. Errors are {@code {"error": code, "message": ...}}, except rejected filters, which
 * answer 422 with the engine's own validation document so clients see the same object as {@code filter:check}.
 * Unexpected exceptions propagate to the endpoint, which answers 500 {@code internal} and hands them to
 * {@link RequestLog} ({@code http_error}).
 */
final class ApiHandler implements HttpService {
    /** The closed vocabulary this module logs (source {@code http}). */
    static final List<String> EVENTS = List.of("http_request", "http_error", "http_started", "http_stopped",
            "registry_follow_started", "registry_follow_resumed", "registry_follow_fallback");

    private final StarDust engine;
    private final JsonFilterDecoder decoder;

    ApiHandler(StarDust engine) {
        this.engine = engine;
        this.decoder = new JsonFilterDecoder(engine.config().filterLimits());
    }

    /** A matched request: its route, path parameters and query. */
    private record Call(HttpCall http, Match match, QueryParams query) {
        String param(int i) {
            return match.params().get(i);
        }
    }

    @Override
    public HttpReply serve(HttpCall http) {
        try {
            Match m = Route.match(segments(http.rawPath()));
            http.annotate(RequestLog.ROUTE, m.template());
            if (m.template().startsWith("/v1/tenants/")) {
                http.annotate(RequestLog.TENANT, m.params().get(0));
            }
            if (!m.method().equals(http.method())) {
                return HttpReply.error(405, "method_not_allowed",
                        http.method() + " is not allowed on " + m.template() + "; use " + m.method())
                        .withHeader("Allow", m.method());
            }
            return dispatch(new Call(http, m, QueryParams.parse(http.rawQuery())));
        } catch (HttpError e) {
            return e.reply();
        } catch (QueryFilterValidationException e) {
            return HttpReply.json(422, e.toJson());
        } catch (PageSizeOutOfRangeException e) {
            return HttpReply.error(400, "page_size_out_of_range", e.getMessage());
        } catch (InvalidCursorException e) {
            return HttpReply.error(400, "invalid_cursor", e.getMessage());
        } catch (ModelNotFoundException e) {
            return HttpReply.error(404, "model_not_found", e.getMessage());
        }
    }

    private HttpReply dispatch(Call c) {
        return switch (c.match().route()) {
            case HEALTH -> health();
            case ENTRY -> ok(EntryJson.entry(getEntry(c)));
            case MODELS -> ok(ModelJson.list(engine.listModels(tenant(c))));
            case MODEL -> ok(ModelJson.describe(describe(c)));
            case MODEL_ENTRIES -> page(c, null);
            case MODEL_SEARCH -> page(c, readFilter(c.http()));
        };
    }

    private static HttpReply ok(JsonNode body) {
        return HttpReply.json(200, Json.write(body));
    }

    private HttpReply health() {
        try {
            engine.schemaVersion();
            return ok(Json.object().put("status", "ok"));
        } catch (RuntimeException e) {
            return HttpReply.error(503, "unavailable", "database query failed");
        }
    }

    private Entry getEntry(Call c) {
        long tenant = tenant(c);
        long id = NumericParams.entryId(c.param(1));
        return engine.get(tenant, id)
                .orElseThrow(() -> new HttpError(404, "not_found", "no entry " + id + " for tenant " + tenant));
    }

    private ModelDescription describe(Call c) {
        long tenant = tenant(c);
        ModelSummary m = model(c, tenant);
        return engine.describeModel(tenant, m.modelId())
                .orElseThrow(() -> modelNotFound(tenant, m.name()));
    }

    private HttpReply page(Call c, FilterNode filter) {
        long tenant = tenant(c);
        int pageSize = NumericParams.pageSize(c.query().get("pageSize"));
        ModelSummary m = model(c, tenant);
        EntryQuery q = new EntryQuery(tenant, m.modelId(), filter, c.query().select(), pageSize, c.query().get("cursor"));
        return ok(EntryJson.page(engine.search(SearchRequest.of(q).withCorrelationId(c.http().correlationId()))));
    }

    private ModelSummary model(Call c, long tenant) {
        String name = c.param(1);
        return engine.findModel(tenant, name).orElseThrow(() -> modelNotFound(tenant, name));
    }

    private static HttpError modelNotFound(long tenant, String name) {
        return new HttpError(404, "model_not_found", "tenant " + tenant + " has no model named '" + name + "'");
    }

    /**
     * The filter document, read within the endpoint's body limit and deadline. It is parsed with the engine's one
     * JSON configuration first, so a body that is not JSON is a 400 (a bad request), not a 422 (a bad filter), and
     * then decoded by the engine's filter decoder exactly as {@code filter:check} decodes it.
     */
    private FilterNode readFilter(HttpCall http) {
        byte[] bytes = http.body();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest("malformed_json", "request body is not valid UTF-8");
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(text);
        } catch (StreamConstraintsException e) {
            // Valid JSON over one of the engine's document limits (number length, depth): the filter decoder's
            // verdict (422), exactly what filter:check prints for the same document.
            return decoder.decode(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw HttpError.badRequest("malformed_json", "request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw HttpError.badRequest("malformed_json", "request body is empty; send a filter document");
        }
        return decoder.decode(text);
    }

    private static long tenant(Call c) {
        return NumericParams.tenant(c.param(0));
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
                throw HttpError.badRequest("bad_path", "malformed percent-encoding in the path");
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
            throw new HttpError(404, "route_not_found", "no such endpoint");
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
