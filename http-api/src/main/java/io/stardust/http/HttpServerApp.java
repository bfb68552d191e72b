package io.stardust.http;

import io.stardust.StarDust;
import io.stardust.daemon.http.HttpEndpoint;
import io.stardust.daemon.http.HttpEndpointOptions;
import io.stardust.engine.event.EventLog;
import io.stardust.http.imports.FileImports;
import io.stardust.registry.events.RegistryCacheFeed;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The HTTP API server over an engine the caller owns (and closes after this). {@link #close()} stops accepting,
 * lets requests in flight finish for up to the shutdown timeout (returning at once when there are none), then
 * closes every connection.
 */
public final class HttpServerApp implements AutoCloseable {
    /** Probes and scrapes are few and quick. */
    private static final int STATUS_THREADS = 2;
    private static final int STATUS_MAX_CONNECTIONS = 32;

    private final HttpEndpoint endpoint;
    private final HttpEndpoint statusEndpoint;
    private final RegistryCacheFeed feed;
    private final EventLog events;
    private boolean closed;

    private HttpServerApp(HttpEndpoint endpoint, HttpEndpoint statusEndpoint, RegistryCacheFeed feed, EventLog events) {
        this.endpoint = endpoint;
        this.statusEndpoint = statusEndpoint;
        this.feed = feed;
        this.events = events;
    }

    /**
     * Binds and starts serving (with {@code httpStatusPort} set, {@code /health} and {@code /metrics} on that port
     * only); with a {@code kafkaBootstrap}, the engine's registry caches follow the registry topic (in the
     * background: until it is followed, reads probe the version table as without one).
     */
    public static HttpServerApp start(StarDust engine, HttpConfig config) {
        EventLog events = new EventLog("http");
        HttpConfig.RegistryFollow follow = config.registry();
        RegistryCacheFeed feed = follow.enabled() ? RegistryCacheFeed.start(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, follow.kafkaBootstrap()), follow.topic(),
                follow.healthCheck(), new RegistryCacheSync(engine.registryCaches(), follow.topic(), events)) : null;
        HttpMetrics metrics = new HttpMetrics();
        AccessObserver observer = new AccessObserver(metrics, new RequestLog(events));
        StatusService status = new StatusService(engine, metrics);
        HttpEndpoint statusEndpoint = null;
        HttpEndpoint endpoint;
        try {
            if (config.statusPort() != null) {
                statusEndpoint = HttpEndpoint.start("stardust-http-status", HttpEndpointOptions
                        .defaults(config.bindAddress(), config.statusPort(), 0)
                        .withLimits(STATUS_THREADS, STATUS_MAX_CONNECTIONS)
                        .withStopTimeout(config.shutdownTimeout()), status, observer);
            }
            endpoint = HttpEndpoint.start("stardust-http", config.endpointOptions(),
                    new ApiHandler(engine, config.limits(), new RateLimiter(config.limits().ratePerKey(), System::nanoTime),
                            statusEndpoint == null ? status : null, OpenApiDocument.load(), imports(config)), observer);
        } catch (RuntimeException e) {
            if (statusEndpoint != null) {
                statusEndpoint.stop();
            }
            if (feed != null) {
                feed.close();
            }
            throw e;
        }
        HttpServerApp app = new HttpServerApp(endpoint, statusEndpoint, feed, events);
        app.events.info("http_started", "bind_address", config.bindAddress(), "port", app.port(), "status_port",
                app.statusPort(), "threads", config.threads(), "max_connections", config.maxConnections());
        return app;
    }

    /** The import topics' reader on the configured broker; null without one (the imports routes answer 503). */
    private static ImportRoutes imports(HttpConfig config) {
        HttpConfig.RegistryFollow kafka = config.registry();
        return new ImportRoutes(!kafka.enabled() ? null : new FileImports(new FileImports.Topics(kafka.kafkaBootstrap(),
                config.imports().progressTopic(), config.imports().statusTopic(), null), kafka.healthCheck()));
    }

    /** The port of /health and /metrics: {@link #port()} unless {@code httpStatusPort} gave them their own. */
    public int statusPort() {
        return statusEndpoint == null ? endpoint.port() : statusEndpoint.port();
    }

    public String statusBaseUrl() {
        return statusEndpoint == null ? endpoint.baseUrl() : statusEndpoint.baseUrl();
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
        if (statusEndpoint != null) {
            statusEndpoint.stop();
        }
        if (feed != null) {
            feed.close();
        }
        events.info("http_stopped", "drain_ms", (System.nanoTime() - started) / 1_000_000, "drained", drained);
    }
}
