package io.stardust.daemon.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * One request as a service sees it: method, raw (still percent-encoded) path and query, headers, a correlation id
 * for logs and the {@code X-Correlation-Id} header, and the body, read on demand within the endpoint's limits.
 */
public final class HttpCall {
    /** How much of a refused body is read and dropped, as a multiple of the limit, so the client reads our 413. */
    private static final int DISCARD_FACTOR = 16;

    private final Request request;
    private final String correlationId;
    private final int maxBodyBytes;
    private final long bodyDeadlineNanos;
    private final long readTimeoutMillis;
    private final Map<String, Object> annotations = Collections.synchronizedMap(new LinkedHashMap<>());

    HttpCall(Request request, String correlationId, int maxBodyBytes, long bodyDeadlineNanos, long readTimeoutMillis) {
        this.request = request;
        this.correlationId = correlationId;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyDeadlineNanos = bodyDeadlineNanos;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path as sent, percent-encoding intact, so a service can decode segment by segment; never null. */
    public String rawPath() {
        String p = request.getHttpURI().getPath();
        return p == null ? "" : p;
    }

    /** The query string as sent, or null. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public String correlationId() {
        return correlationId;
    }

    /** Context for the {@link HttpObserver} (e.g. the matched route), in the order added. */
    public void annotate(String key, Object value) {
        annotations.put(key, value);
    }

    public Map<String, Object> annotations() {
        synchronized (annotations) {
            return new LinkedHashMap<>(annotations);
        }
    }

    /**
     * The whole body, at most the endpoint's {@code maxBodyBytes}.
     *
     * @throws HttpError 413 {@code payload_too_large} above the limit (declared or counted; at most a bounded
     *                   multiple of the limit is read, and never kept), 408 {@code request_timeout} when the body does
     *                   not arrive within the request-read timeout, 400 when it cannot be read as HTTP
     */
    public byte[] body() {
        long declared = request.getLength();
        long budget = DISCARD_FACTOR * (long) maxBodyBytes;
        if (declared > maxBodyBytes) {
            if (declared <= budget) {
                drain(declared);
            }
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 512);
        long seen = 0;
        while (true) {
            Content.Chunk chunk = next();
            try {
                ByteBuffer b = chunk.getByteBuffer();
                int n = b.remaining();
                seen += n;
                if (seen <= maxBodyBytes) {
                    byte[] bytes = new byte[n];
                    b.get(bytes);
                    out.write(bytes, 0, n);
                }
                if (chunk.isLast() || seen > budget) {
                    break;
                }
            } finally {
                chunk.release();
            }
        }
        if (seen > maxBodyBytes) {
            throw tooLarge();
        }
        return out.toByteArray();
    }

    /** Reads and drops up to {@code bytes} of body. */
    private void drain(long bytes) {
        long seen = 0;
        while (seen < bytes) {
            Content.Chunk chunk = next();
            try {
                seen += chunk.getByteBuffer().remaining();
                if (chunk.isLast()) {
                    return;
                }
            } finally {
                chunk.release();
            }
        }
    }

    /** The next chunk of body, waiting for it until the body deadline; never null, never a failure. */
    private Content.Chunk next() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitContent();
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                throw failed(chunk.getFailure());
            }
            return chunk;
        }
    }

    private void awaitContent() {
        long left = bodyDeadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw timedOut();
        }
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        request.demand(() -> arrived.complete(null));
        try {
            arrived.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "unavailable", "the server is stopping");
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        }
    }

    private static HttpError failed(Throwable cause) {
        if (cause instanceof HttpException http) {
            return new HttpError(http.getCode(), ProtocolErrors.code(http.getCode()), ProtocolErrors.reason(http));
        }
        if (cause instanceof TimeoutException) {
            return new HttpError(408, "request_timeout", "the request body stalled");
        }
        return new HttpError(400, "bad_request", "the request body could not be read");
    }

    private HttpError timedOut() {
        return new HttpError(408, "request_timeout", "the request body did not arrive within " + readTimeoutMillis + " ms");
    }

    private HttpError tooLarge() {
        return new HttpError(413, "payload_too_large", "request body exceeds " + maxBodyBytes + " bytes");
    }
}
