package io.stardust.http;

import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpObserver;
import java.time.Duration;

/** Every answered request counted in the metrics and logged as {@code http_request}; every 500 logged. */
final class AccessObserver implements HttpObserver {
    private final HttpMetrics metrics;
    private final RequestLog log;

    AccessObserver(HttpMetrics metrics, RequestLog log) {
        this.metrics = metrics;
        this.log = log;
    }

    @Override
    public void answered(HttpCall call, int status, Duration latency) {
        metrics.answered(call, status, latency);
        log.answered(call, status, latency);
    }

    @Override
    public void failed(HttpCall call, Throwable error) {
        log.failed(call, error);
    }
}
