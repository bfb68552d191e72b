package io.stardust.daemon.status;

import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpEndpoint;
import io.stardust.daemon.http.HttpEndpointOptions;
import io.stardust.daemon.http.HttpObserver;
import io.stardust.daemon.http.HttpReply;
import io.stardust.daemon.http.HttpService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The status port every long-running process serves: {@code GET /metrics} (Prometheus text) and
 * {@code GET /health} (200 when healthy, else 503; a JSON body either way), on {@link HttpEndpoint}, so slow or
 * broken clients cannot block a liveness probe. The process supplies the scrape and the health report.
 */
public final class StatusEndpoint implements HttpService, AutoCloseable {
    /** Probes and scrapes are few and quick: a handful of workers and connections is plenty. */
    private static final int THREADS = 4;
    private static final int MAX_CONNECTIONS = 64;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** What {@code /health} answers: 200 or 503, and a JSON object. */
    public record Health(boolean healthy, String json) {
        public static Health ok() {
            return new Health(true, "{\"status\":\"ok\"}");
        }
    }

    private final Supplier<String> scrape;
    private final Supplier<Health> health;
    private HttpEndpoint endpoint;

    private StatusEndpoint(Supplier<String> scrape, Supplier<Health> health) {
        this.scrape = Objects.requireNonNull(scrape);
        this.health = Objects.requireNonNull(health);
    }

    /** Binds {@code port} (0: any free port) on {@code bindAddress}; {@code name} names the server's threads. */
    public static StatusEndpoint start(String name, String bindAddress, int port, Supplier<String> scrape,
                                       Supplier<Health> health) {
        StatusEndpoint status = new StatusEndpoint(scrape, health);
        status.endpoint = HttpEndpoint.start(name, HttpEndpointOptions.defaults(bindAddress, port, 0)
                .withLimits(THREADS, MAX_CONNECTIONS)
                .withStopTimeout(STOP_TIMEOUT), status, HttpObserver.NONE);
        return status;
    }

    public InetSocketAddress address() {
        return endpoint.localAddress();
    }

    /** {@code http://host:port}, for start-up events and {@code stack}'s listing. */
    public String url() {
        InetSocketAddress a = address();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    @Override
    public HttpReply serve(HttpCall call) {
        if (!"GET".equals(call.method()) && !"HEAD".equals(call.method())) {
            return HttpReply.error(405, "method_not_allowed", call.method() + " is not allowed; use GET")
                    .withHeader("Allow", "GET");
        }
        return switch (call.rawPath()) {
            case "/health" -> {
                Health h = health.get();
                yield HttpReply.json(h.healthy() ? 200 : 503, h.json());
            }
            case "/metrics" -> HttpReply.text(200, PROMETHEUS_TEXT, scrape.get());
            default -> HttpReply.error(404, "route_not_found", "no such endpoint; try /health or /metrics");
        };
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.stop();
        }
    }
}
