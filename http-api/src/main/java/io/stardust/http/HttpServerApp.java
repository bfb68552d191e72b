package io.stardust.http;

import io.stardust.StarDust;
import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpEndpoint;
import io.stardust.daemon.http.HttpObserver;
import io.stardust.engine.event.EventLog;
import io.stardust.registry.events.RegistryCacheFeed;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The HTTP API server over an engine the caller owns (and closes after this). {@link #close()} stops accepting,
 * lets requests in flight finish for up to the shutdown timeout (returning at once when there are none), then
 * closes every connection.
 */
public final class HttpServerApp implements AutoCloseable {
    private final HttpEndpoint endpoint;
    private final RegistryCacheFeed feed;
    private final EventLog events;
    private boolean closed;

    private HttpServerApp(HttpEndpoint endpoint, RegistryCacheFeed feed, EventLog events) {
        this.endpoint = endpoint;
        this.feed = feed;
        this.events = events;
    }

    /**
     * Binds and starts serving; with a {@code kafkaBootstrap}, the engine's registry caches follow the registry
     * topic (in the background: until it is followed, reads probe the version table as without one).
     */
    public static HttpServerApp start(StarDust engine, HttpConfig config) {
        EventLog events = new EventLog("http");
        HttpConfig.RegistryFollow follow = config.registry();
        RegistryCacheFeed feed = follow.enabled() ? RegistryCacheFeed.start(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, follow.kafkaBootstrap()), follow.topic(),
                follow.healthCheck(), new RegistryCacheSync(engine.registryCaches(), follow.topic(), events)) : null;
        HttpEndpoint endpoint;
        try {
            HttpMetrics metrics = new HttpMetrics();
            RequestLog log = new RequestLog(events);
            endpoint = HttpEndpoint.start("stardust-http", config.endpointOptions(),
                    new ApiHandler(engine, config.limits(), new RateLimiter(config.limits().ratePerKey(), System::nanoTime),
                            metrics, OpenApiDocument.load()),
                    new HttpObserver() {
                        @Override
                        public void answered(HttpCall call, int status, java.time.Duration latency) {
                            metrics.answered(call, status, latency);
                            log.answered(call, status, latency);
                        }

                        @Override
                        public void failed(HttpCall call, Throwable error) {
                            log.failed(call, error);
                        }
                    });
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            throw e;
        }
        HttpServerApp app = new HttpServerApp(endpoint, feed, events);
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
        if (feed != null) {
            feed.close();
        }
        events.info("http_stopped", "drain_ms", (System.nanoTime() - started) / 1_000_000, "drained", drained);
    }
}
