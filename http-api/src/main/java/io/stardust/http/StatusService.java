package io.stardust.http;

import io.stardust.StarDust;
import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpReply;
import io.stardust.daemon.http.HttpService;
import io.stardust.engine.json.Json;

/**
 * {@code GET /health} and {@code GET /metrics}: open (no key), for probes and scrapers. Served by the API's own port,
 * or, with {@code httpStatusPort} set, only by a port of their own.
 */
final class StatusService implements HttpService {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final StarDust engine;
    private final HttpMetrics metrics;

    StatusService(StarDust engine, HttpMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    HttpReply health() {
        try {
            engine.schemaVersion();
            return HttpReply.json(200, Json.write(Json.object().put("status", "ok")));
        } catch (RuntimeException e) {
            return HttpReply.error(503, "unavailable", "database query failed");
        }
    }

    HttpReply metrics() {
        return HttpReply.text(200, PROMETHEUS_TEXT, metrics.scrape());
    }

    /** The status port's own routing: only these two routes. */
    @Override
    public HttpReply serve(HttpCall call) {
        Route route = switch (call.rawPath()) {
            case "/health" -> Route.HEALTH;
            case "/metrics" -> Route.METRICS;
            default -> null;
        };
        if (route == null) {
            return HttpReply.error(404, "route_not_found", "no such endpoint; this port serves /health and /metrics");
        }
        call.annotate(RequestLog.ROUTE, route.template());
        if (!"GET".equals(call.method())) {
            return HttpReply.error(405, "method_not_allowed", call.method() + " is not allowed on " + route.template()
                    + "; use GET").withHeader("Allow", "GET");
        }
        return route == Route.HEALTH ? health() : metrics();
    }
}
