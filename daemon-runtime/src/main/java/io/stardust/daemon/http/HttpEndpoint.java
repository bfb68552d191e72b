package io.stardust.daemon.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * An embedded HTTP/1.1 endpoint (Jetty core, no servlets) serving one {@link HttpService}, shared by the HTTP API
 * and the gateway's health and metrics port so both get the same protections:
 *
 * <ul>
 *   <li>slow or broken clients cost no worker thread (heads are parsed without one) and are cut off: the head
 *       must arrive within the request-read timeout, the body too, and silence beyond the idle timeout closes the
 *       connection; at most {@code maxConnections} are open at once;</li>
 *   <li>a service that does not answer within the response timeout is answered for: 503 {@code timeout};</li>
 *   <li>every error, including requests that are not valid HTTP, is the JSON shape
 *       {@code {"error": code, "message": ...}};</li>
 *   <li>TCP_NODELAY, and head and body leave in one write, so kept-alive requests do not wait on delayed ACKs;</li>
 *   <li>{@link #close()} stops accepting, waits for requests in flight up to the stop timeout, and returns at once
 *       when there are none.</li>
 * </ul>
 */
public final class HttpEndpoint implements AutoCloseable {
    /** Threads Jetty needs besides the workers: the acceptor and the selector. */
    private static final int INFRASTRUCTURE_THREADS = 2;
    /** How long a stop waits for a worker still stuck in a service after the drain, before interrupting it. */
    private static final long WORKER_STOP_MILLIS = 1000;

    private final Server server;
    private final ServerConnector connector;
    private final GracefulHandler inFlight;
    private final Duration stopTimeout;
    private boolean closed;

    private HttpEndpoint(Server server, ServerConnector connector, GracefulHandler inFlight, Duration stopTimeout) {
        this.server = server;
        this.connector = connector;
        this.inFlight = inFlight;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Binds and starts serving.
     *
     * @param name names the threads ({@code <name>-N}), for thread dumps
     * @throws IllegalStateException when the address cannot be bound
     */
    public static HttpEndpoint start(String name, HttpEndpointOptions options, HttpService service, HttpObserver observer) {
        QueuedThreadPool workers = new QueuedThreadPool(options.threads() + INFRASTRUCTURE_THREADS,
                Math.min(options.threads() + INFRASTRUCTURE_THREADS, 4));
        workers.setName(name);
        workers.setReservedThreads(0);
        workers.setStopTimeout(WORKER_STOP_MILLIS);
        ScheduledExecutorScheduler timers = new ScheduledExecutorScheduler(name + "-timer", true);
        Server server = new Server(workers, timers, null);
        // The drain is done by close() itself; Jetty's own graceful stop would also wait for idle connections.
        server.setStopTimeout(0);
        server.setStopAtShutdown(false);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Services route on the raw path and decode each segment once, on its own: an encoded '/' or '%' is data
        // inside its segment (a model named "a/b" or "50%"), not the ambiguity Jetty's default compliance guards
        // against for servlet path mapping.
        http.setUriCompliance(UriCompliance.DEFAULT.with("stardust-raw-segments",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(options.bindAddress());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        connector.setAcceptedTcpNoDelay(true);
        RequestHeaderDeadline heads = new RequestHeaderDeadline(timers, options.requestReadTimeout());
        connector.addEventListener(heads);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));

        GracefulHandler inFlight = new GracefulHandler(new ServiceHandler(service, observer, options, heads, timers));
        server.setHandler(inFlight);
        server.setErrorHandler(new JsonErrorHandler(observer));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("cannot listen on " + options.bindAddress() + ":" + options.port() + ": "
                    + e.getMessage(), e);
        }
        return new HttpEndpoint(server, connector, inFlight, options.stopTimeout());
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Requests being served right now (a stop waits for these). */
    public long inFlight() {
        return inFlight.getCurrentRequestCount();
    }

    /** The address actually bound (its host is the bind address, its port the bound port). */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("the endpoint's socket is closed", e);
        }
    }

    public String host() {
        return localAddress().getAddress().getHostAddress();
    }

    public String baseUrl() {
        String host = host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * Stops accepting, lets requests in flight finish for up to the stop timeout (new requests on open connections
     * get 503), then closes every connection. Returns at once when nothing is in flight.
     *
     * @return whether every request in flight finished in time
     */
    public synchronized boolean stop() {
        if (closed) {
            return true;
        }
        closed = true;
        boolean drained = true;
        connector.setAccepting(false);
        try {
            inFlight.shutdown().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            drained = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        } catch (Exception e) {
            drained = false;
        }
        stopQuietly(server);
        return drained;
    }

    @Override
    public void close() {
        stop();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort: what could not stop (a worker stuck in a service) was interrupted
        }
    }
}
