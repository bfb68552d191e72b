package io.stardust.daemon.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link HttpEndpoint} listens and what it tolerates from clients.
 *
 * @param bindAddress        address to bind; loopback unless the deployment says otherwise
 * @param port               port to bind; 0 = any free port
 * @param threads            worker threads running the service (each blocks for the length of one request)
 * @param maxConnections     open connections at most; beyond that new connections wait in the accept queue
 * @param idleTimeout        a connection with no I/O for this long is closed (stalled reads and writes alike)
 * @param requestReadTimeout a request's headers must arrive within this of the connection opening (or of the
 *                           previous response on a kept-alive connection), and its body within this of the headers
 * @param responseTimeout    a service that has not answered this long after the headers arrived is answered for it:
 *                           503 {@code timeout}
 * @param maxBodyBytes       largest request body {@link HttpCall#body()} accepts (413 above)
 * @param stopTimeout        how long {@link HttpEndpoint#close()} waits for requests in flight; an idle endpoint
 *                           stops at once
 */
public record HttpEndpointOptions(String bindAddress, int port, int threads, int maxConnections, Duration idleTimeout,
                                  Duration requestReadTimeout, Duration responseTimeout, int maxBodyBytes,
                                  Duration stopTimeout) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_THREADS = 8;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    public HttpEndpointOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        require(port >= 0 && port <= 65_535, "port must be 0..65535, got " + port);
        require(threads >= 1, "threads must be at least 1, got " + threads);
        require(maxConnections >= 1, "maxConnections must be at least 1, got " + maxConnections);
        positive(idleTimeout, "idleTimeout");
        positive(requestReadTimeout, "requestReadTimeout");
        positive(responseTimeout, "responseTimeout");
        require(maxBodyBytes >= 0, "maxBodyBytes must not be negative, got " + maxBodyBytes);
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        require(!stopTimeout.isNegative(), "stopTimeout must not be negative, got " + stopTimeout);
    }

    /** The defaults above on the given address and port, with a body limit. */
    public static HttpEndpointOptions defaults(String bindAddress, int port, int maxBodyBytes) {
        return new HttpEndpointOptions(bindAddress, port, DEFAULT_THREADS, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_REQUEST_READ_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, maxBodyBytes, DEFAULT_STOP_TIMEOUT);
    }

    public HttpEndpointOptions withTimeouts(Duration idle, Duration requestRead, Duration response) {
        return new HttpEndpointOptions(bindAddress, port, threads, maxConnections, idle, requestRead, response,
                maxBodyBytes, stopTimeout);
    }

    public HttpEndpointOptions withStopTimeout(Duration stop) {
        return new HttpEndpointOptions(bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, maxBodyBytes, stop);
    }

    public HttpEndpointOptions withLimits(int newThreads, int newMaxConnections) {
        return new HttpEndpointOptions(bindAddress, port, newThreads, newMaxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, maxBodyBytes, stopTimeout);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        require(!d.isNegative() && !d.isZero(), name + " must be positive, got " + d);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
