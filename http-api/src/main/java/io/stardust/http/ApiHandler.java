package io.stardust.http;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.Entry;
import io.stardust.EntryQuery;
import io.stardust.QueryFilterValidationException;
import io.stardust.SearchRequest;
import io.stardust.SortSpec;
import io.stardust.StarDust;
import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.daemon.http.HttpService;
import io.stardust.engine.access.ApiKey;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Authenticates, authorises and routes every request, and turns the engine's typed refusals into the documented
 * errors. In order: a {@code /v1} request needs a valid key (401), then its rate (429), the route (404, 405), a
 * tenant path of the key's own tenant (403 {@code forbidden_tenant}) and the route's scope (403
 * {@code insufficient_scope}); only then does anything read tenant data.
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
    private final Authenticator auth;
    private final RateLimiter rates;
    private final StatusService status;
    private final OpenApiDocument openApi;
    private final EntryRoutes entries;
    private final ModelRoutes models;
    private final ExportRoutes exports;
    private final ImportRoutes imports;

    /** @param status serves /health and /metrics here; null when they have a port of their own */
    ApiHandler(StarDust engine, HttpConfig.Limits limits, RateLimiter rates, StatusService status,
               OpenApiDocument openApi, ImportRoutes imports) {
        this.engine = engine;
        this.decoder = new JsonFilterDecoder(engine.config().filterLimits());
        this.auth = new Authenticator(engine.apiKeys());
        this.rates = rates;
        this.status = status;
        this.openApi = openApi;
        Idempotency idempotency = new Idempotency(engine.idempotencyRecords());
        this.entries = new EntryRoutes(engine, limits, idempotency,
                new BulkWrites(engine, limits.maxBodyBytes(), limits.bulkMaxEntries()));
        this.models = new ModelRoutes(engine, limits);
        this.exports = new ExportRoutes(engine, limits);
        this.imports = imports;
    }

    /** A matched, authorised request. */
    record Call(HttpCall http, Route.Match match, QueryParams query, ApiKey key) {
        String param(int i) {
            return match.param(i);
        }

        long tenant() {
            return NumericParams.tenant(param(0));
        }
    }

    @Override
    public HttpReply serve(HttpCall http) {
        try {
            List<String> segments = segments(http.rawPath());
            ApiKey key = null;
            if (!segments.isEmpty() && segments.get(0).equals("v1")) {
                key = auth.authenticate(http.header("Authorization"));
                long wait = rates.acquire(key.id());
                if (wait > 0) {
                    return HttpReply.error(429, "rate_limited", "this API key is over its request rate; retry in "
                            + wait + " s").withHeader("Retry-After", Long.toString(wait));
                }
            }
            Route.Match m = match(http, segments);
            if (m.route().tenantScoped()) {
                http.annotate(RequestLog.TENANT, m.param(0));
            }
            Call c = new Call(http, m, QueryParams.parse(http.rawQuery()), key);
            if (key != null) {
                authorise(c);
            }
            return dispatch(c);
        } catch (Authenticator.Unauthorized e) {
            return e.reply().withHeader("WWW-Authenticate", "Bearer");
        } catch (Route.MethodNotAllowed e) {
            return e.reply().withHeader("Allow", e.allow());
        } catch (HttpError e) {
            return e.reply();
        } catch (QueryFilterValidationException e) {
            return HttpReply.json(422, e.toJson());
        } catch (RuntimeException e) {
            HttpError mapped = EngineErrors.of(e);
            if (mapped == null) {
                throw e;
            }
            return mapped.reply();
        }
    }

    private static Route.Match match(HttpCall http, List<String> segments) {
        try {
            Route.Match m = Route.match(http.method(), segments);
            http.annotate(RequestLog.ROUTE, m.route().template());
            return m;
        } catch (Route.MethodNotAllowed e) {
            http.annotate(RequestLog.ROUTE, e.template());
            throw e;
        }
    }

    /** The key's tenant must be the path's, and the key must hold the route's scope. */
    private static void authorise(Call c) {
        if (c.match().route().tenantScoped()) {
            long tenant = c.tenant();
            if (tenant != c.key().tenantId()) {
                throw new HttpError(403, "forbidden_tenant", "this API key acts only on tenant " + c.key().tenantId());
            }
        }
        var scope = c.match().route().scope();
        if (scope != null && !c.key().allows(scope)) {
            throw new HttpError(403, "insufficient_scope", c.match().route().method() + " "
                    + c.match().route().template() + " needs the '" + scope.wireName() + "' scope");
        }
    }

    private HttpReply dispatch(Call c) {
        return switch (c.match().route()) {
            case HEALTH -> status().health();
            case METRICS -> status().metrics();
            case OPENAPI -> HttpReply.json(200, openApi.json());
            case ENTRY -> Replies.ok(EntryJson.entry(getEntry(c)));
            case ENTRY_REPLACE -> entries.replace(c);
            case ENTRY_DELETE -> entries.delete(c);
            case MODELS -> Replies.ok(ModelJson.list(engine.listModels(c.tenant())));
            case MODEL_DEFINE -> models.define(c);
            case MODEL -> Replies.ok(ModelJson.describe(models.describe(c)));
            case MODEL_DELETE -> models.delete(c);
            case MODEL_RENAME -> models.rename(c);
            case MODEL_LIFECYCLE -> models.lifecycle(c);
            case FIELD_RETYPE, FIELD_PROMOTE, FIELD_DEMOTE, FIELD_RENAME, FIELD_DELETE -> models.fieldOperation(c);
            case MODEL_ENTRIES -> page(c, null);
            case ENTRY_CREATE -> entries.create(c);
            case ENTRY_BULK -> entries.bulk(c);
            case MODEL_SEARCH -> page(c, readFilter(c.http()));
            case KEY_UPSERT -> entries.upsertByKey(c);
            case KEY_DELETE -> entries.deleteByKey(c);
            case EXPORT_SUBMIT -> exports.submit(c);
            case EXPORTS -> exports.list(c);
            case EXPORT -> exports.status(c);
            case EXPORT_ARTIFACT -> exports.artifact(c);
            case IMPORTS -> imports.list(c);
            case IMPORT -> imports.get(c);
        };
    }

    private StatusService status() {
        if (status == null) {
            throw new HttpError(404, "route_not_found", "/health and /metrics are served on httpStatusPort");
        }
        return status;
    }

    private Entry getEntry(Call c) {
        long tenant = c.tenant();
        long id = NumericParams.entryId(c.param(1));
        return engine.get(tenant, id)
                .orElseThrow(() -> new HttpError(404, "not_found", "no entry " + id + " for tenant " + tenant));
    }

    private HttpReply page(Call c, FilterNode filter) {
        long tenant = c.tenant();
        int pageSize = NumericParams.pageSize(c.query().get("pageSize"));
        int modelId = models.model(c).modelId();
        EntryQuery q = new EntryQuery(tenant, modelId, filter, c.query().select(), pageSize, c.query().get("cursor"),
                sort(c.query().get("sort")));
        return Replies.ok(EntryJson.page(engine.search(SearchRequest.of(q).withCorrelationId(c.http().correlationId()))));
    }

    /** The {@code sort} query parameter ({@code KEY[:asc|desc]}); entry id ascending when absent. */
    private static SortSpec sort(String text) {
        if (text == null) {
            return SortSpec.byId();
        }
        try {
            return SortSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "bad_query", e.getMessage());
        }
    }

    /**
     * The filter document, read within the endpoint's body limit and deadline. It is parsed with the engine's one
     * JSON configuration first, so a body that is not JSON is a 400 (a bad request), not a 422 (a bad filter), and
     * then decoded by the engine's filter decoder exactly as {@code filter:check} decodes it.
     */
    private FilterNode readFilter(HttpCall http) {
        String text = JsonBodies.utf8(http.body(), "request body");
        try {
            JsonBodies.parse(text, "request body");
        } catch (StreamConstraintsException e) {
            // Valid JSON over one of the engine's document limits (number length, depth): the filter decoder's
            // verdict (422), exactly what filter:check prints for the same document.
        }
        return decoder.decode(text);
    }

    /** Path segments, each percent-decoded on its own so an encoded '/' stays inside its segment. */
    static List<String> segments(String rawPath) {
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

    /** Common successful replies. */
    static final class Replies {
        private Replies() {
        }

        static HttpReply ok(JsonNode body) {
            return HttpReply.json(200, Json.write(body));
        }

        static HttpReply of(int status, JsonNode body) {
            return HttpReply.json(status, Json.write(body));
        }
    }
}
