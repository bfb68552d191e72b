package io.stardust.http;

import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpObserver;
import io.stardust.engine.event.EventLog;
import java.time.Duration;
import java.util.Map;

/**
 * One {@code http_request} event per answered request (also those the endpoint answered itself: deadlines, bodies
 * over the limit, requests that are not valid HTTP), and {@code http_error} with the exception for every 500.
 */
final class RequestLog implements HttpObserver {
    static final String ROUTE = "route";
    static final String TENANT = "tenant_id";

    private final EventLog events;

    RequestLog(EventLog events) {
        this.events = events;
    }

    @Override
    public void answered(HttpCall call, int status, Duration latency) {
        Map<String, Object> context = call.annotations();
        events.info("http_request", "correlation_id", call.correlationId(), "method", call.method(),
                "route", context.getOrDefault(ROUTE, "unmatched"), "status", status, "latency_ms", latency.toMillis(),
                "tenant_id", context.get(TENANT));
    }

    @Override
    public void failed(HttpCall call, Throwable error) {
        // Never a stack trace on the wire: the detail goes here, under the correlation id the client got.
        Map<String, Object> context = call.annotations();
        events.error("http_error", error, "correlation_id", call.correlationId(), "method", call.method(),
                "route", context.getOrDefault(ROUTE, "unmatched"), "tenant_id", context.get(TENANT));
    }
}
