package io.stardust.http;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpObserver;
import java.time.Duration;
import java.util.Set;

/**
 * {@code stardust_http_requests_seconds} by method, route template and status, with a latency histogram
 * (Prometheus buckets), for {@code GET /metrics}.
 */
final class HttpMetrics implements HttpObserver {
    /** Any token is a valid HTTP method; only these become label values, so clients cannot grow the series. */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Override
    public void answered(HttpCall call, int status, Duration latency) {
        Object route = call.annotations().getOrDefault(RequestLog.ROUTE, "unmatched");
        Timer.builder("stardust.http.requests")
                .description("HTTP API requests answered, by route template and status")
                .tag("method", KNOWN_METHODS.contains(call.method()) ? call.method() : "OTHER")
                .tag("route", String.valueOf(route))
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(latency);
    }

    String scrape() {
        return registry.scrape();
    }
}
