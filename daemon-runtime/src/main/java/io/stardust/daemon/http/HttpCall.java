package io.stardust.daemon.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
        return body(maxBodyBytes);
    }

    /** {@link #body()} with a route's own limit instead of the endpoint's. */
    public byte[] body(int maxBodyBytes) {
        long declared = request.getLength();
        long budget = DISCARD_FACTOR * (long) maxBodyBytes;
        if (declared > maxBodyBytes) {
            if (declared <= budget) {
                drain(declared);
            }
            throw tooLarge(maxBodyBytes);
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
            throw tooLarge(maxBodyBytes);
        }
        return out.toByteArray();
    }

    /**
     * The body as a stream, for routes that process it as it arrives (bounded memory whatever its size). Reads
     * fail with {@link HttpError}: 413 {@code payload_too_large} once more than {@code maxBytes} arrived (or were
     * declared), 408 when the body stalls past the request-read timeout.
     */
    public InputStream bodyStream(long maxBytes) {
        if (request.getLength() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new InputStream() {
            private Content.Chunk current;
            private long seen;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (true) {
                    if (current != null && current.getByteBuffer().hasRemaining()) {
                        int n = Math.min(len, current.getByteBuffer().remaining());
                        current.getByteBuffer().get(b, off, n);
                        return n;
                    }
                    if (current != null) {
                        boolean last = current.isLast();
                        current.release();
                        current = null;
                        if (last) {
                            ended = true;
                        }
                    }
                    if (ended) {
                        return -1;
                    }
                    current = next();
                    seen += current.getByteBuffer().remaining();
                    if (seen > maxBytes) {
                        current.release();
                        current = null;
                        ended = true;
                        throw tooLarge(maxBytes);
                    }
                }
            }

            @Override
            public void close() {
                if (current != null) {
                    current.release();
                    current = null;
                }
                ended = true;
            }
        };
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

    private static HttpError tooLarge(long limit) {
        return new HttpError(413, "payload_too_large", "request body exceeds " + limit + " bytes");
    }
}
