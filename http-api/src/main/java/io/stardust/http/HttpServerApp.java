package io.stardust.http;

import io.stardust.StarDust;
import io.stardust.daemon.http.HttpEndpoint;
import io.stardust.engine.event.EventLog;

/**
 * The HTTP API server over an engine the caller owns (and closes after this). {@link #close()} stops accepting,
 * lets requests in flight finish for up to the shutdown timeout (returning at once when there are none), then
 * closes every connection.
 */
public final class HttpServerApp implements AutoCloseable {
    private final HttpEndpoint endpoint;
    private final EventLog events;
    private boolean closed;

    private HttpServerApp(HttpEndpoint endpoint, EventLog events) {
        this.endpoint = endpoint;
        this.events = events;
    }

    /** Binds and starts serving. */
    public static HttpServerApp start(StarDust engine, HttpConfig config) {
        EventLog events = new EventLog("http");
        HttpEndpoint endpoint = HttpEndpoint.start("stardust-http", config.endpointOptions(), new ApiHandler(engine),
                new RequestLog(events));
        HttpServerApp app = new HttpServerApp(endpoint, events);
        app.events.info("http_started", "bind_address", config.bindAddress(), "port", app.port(), "threads",
                config.threads(), "max_connections", config.maxConnections());
        return app;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return endpoint.port();
    }

    public String baseUrl() {
        return endpoint.baseUrl();
    }

    /** Requests being served right now. */
    public long requestsInFlight() {
        return endpoint.inFlight();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        boolean drained = endpoint.stop();
        events.info("http_stopped", "drain_ms", (System.nanoTime() - started) / 1_000_000, "drained", drained);
    }
}
