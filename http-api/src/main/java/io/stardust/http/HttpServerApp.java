package io.stardust.http;

import com.sun.net.httpserver.HttpServer;
import io.stardust.StarDust;
import io.stardust.engine.event.EventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API server over an engine the caller owns (and closes after this). {@link #close()} stops accepting,
 * lets in-flight requests finish for up to the drain time, then stops the workers.
 */
public final class HttpServerApp implements AutoCloseable {
    /** Requests waiting for a worker, per worker; beyond that the accepting thread serves (see the executor). */
    private static final int QUEUE_PER_THREAD = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final int drainSeconds;
    private final EventLog events;
    private boolean closed;

    private HttpServerApp(HttpServer server, ThreadPoolExecutor workers, int drainSeconds, EventLog events) {
        this.server = server;
        this.workers = workers;
        this.drainSeconds = drainSeconds;
        this.events = events;
    }

    /** Binds and starts serving; {@code drainSeconds} bounds how long {@link #close()} waits for in-flight requests. */
    public static HttpServerApp start(StarDust engine, HttpConfig config, int drainSeconds) {
        EventLog events = new EventLog("http");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + config.bindAddress() + ":" + config.port(), e);
        }
        // Bounded threads and queue: overload must not grow memory. When the queue is full the server's own
        // dispatcher thread runs the request, which stops it accepting more: back-pressure instead of rejection
        // (the JDK dispatcher does not expect the executor to throw).
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.threads() * QUEUE_PER_THREAD), namedThreads(),
                new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(workers);
        server.createContext("/", new ApiHandler(engine, events));
        server.start();
        HttpServerApp app = new HttpServerApp(server, workers, drainSeconds, events);
        app.events.info("http_started", "bind_address", config.bindAddress(), "port", app.port(), "threads", config.threads());
        return app;
    }

    public static HttpServerApp start(StarDust engine, HttpConfig config) {
        return start(engine, config, 10);
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        // Closes the listener, then waits for exchanges in flight. On JDK 17 an idle server still waits the whole
        // delay (JDK-8304065, fixed in 21), which is why the delay is a parameter and tests pass a short one.
        server.stop(drainSeconds);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drainSeconds, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        events.info("http_stopped", "drain_ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "stardust-http-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        };
    }
}
