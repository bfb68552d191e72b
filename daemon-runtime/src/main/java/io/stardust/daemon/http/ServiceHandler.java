package io.stardust.daemon.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Runs the {@link HttpService} for each request on a worker thread and sends its reply, or, when the response
 * deadline passes first, a 503 {@code timeout} in its place (the service's late reply is then dropped).
 */
final class ServiceHandler extends Handler.Abstract {
    private final HttpService service;
    private final HttpObserver observer;
    private final HttpEndpointOptions options;
    private final RequestHeaderDeadline heads;
    private final Scheduler scheduler;

    ServiceHandler(HttpService service, HttpObserver observer, HttpEndpointOptions options, RequestHeaderDeadline heads,
                   Scheduler scheduler) {
        this.service = service;
        this.observer = observer;
        this.options = options;
        this.heads = heads;
        this.scheduler = scheduler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        Connection connection = request.getConnectionMetaData().getConnection();
        heads.headReceived(connection);
        HttpCall call = new HttpCall(request, UUID.randomUUID().toString(), options.maxBodyBytes(),
                started + options.requestReadTimeout().toNanos(), options.requestReadTimeout().toMillis());
        Answer answer = new Answer(call, response, callback, connection, started);
        // The connection closes after a timeout reply: the service still runs on it, and HTTP/1.1 would make the
        // client's next request wait behind it.
        Scheduler.Task deadline = scheduler.schedule(() -> answer.send(HttpReply.error(503, "timeout",
                "no answer within " + options.responseTimeout().toMillis() + " ms").withHeader("Connection", "close")),
                options.responseTimeout());
        HttpReply reply;
        try {
            reply = serve(call);
        } catch (HttpError e) {
            reply = e.reply();
        } catch (Exception e) {
            observer.failed(call, e);
            reply = HttpReply.error(500, "internal", "internal error; correlation id " + call.correlationId());
        } finally {
            deadline.cancel();
        }
        answer.send(reply);
        return true;
    }

    private HttpReply serve(HttpCall call) throws Exception {
        // Only origin-form targets name a resource here; CONNECT's authority-form and OPTIONS * do not.
        if ("CONNECT".equals(call.method())) {
            return HttpReply.error(405, "method_not_allowed", "CONNECT is not supported");
        }
        if (!call.rawPath().startsWith("/")) {
            return HttpReply.error(400, "bad_request", "the request target must be a path");
        }
        return service.serve(call);
    }

    /** The one reply a request gets: whoever sends first (service or deadline) wins. */
    private final class Answer {
        private final HttpCall call;
        private final Response response;
        private final Callback callback;
        private final Connection connection;
        private final long started;
        private final AtomicBoolean sent = new AtomicBoolean();

        Answer(HttpCall call, Response response, Callback callback, Connection connection, long started) {
            this.call = call;
            this.response = response;
            this.callback = callback;
            this.connection = connection;
            this.started = started;
        }

        void send(HttpReply reply) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            response.setStatus(reply.status());
            HttpFields.Mutable headers = response.getHeaders();
            reply.headers().forEach(headers::put);
            headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
            // A known length lets Jetty write head and body in one go.
            headers.put(HttpHeader.CONTENT_LENGTH, reply.length());
            headers.put("X-Correlation-Id", call.correlationId());
            // Observed before the write, so a client that has its answer can rely on the access event existing.
            observer.answered(call, reply.status(), Duration.ofNanos(System.nanoTime() - started));
            Callback done = Callback.from(() -> {
                heads.responded(connection);
                callback.succeeded();
            }, failure -> {
                heads.responded(connection);
                callback.failed(failure);
            });
            if (reply.stream() != null) {
                stream(reply.stream(), done);
            } else {
                response.write(true, ByteBuffer.wrap(reply.body()), done);
            }
        }

        /** Blocking writes on this worker thread: each waits for the client, so memory stays one buffer. */
        private void stream(HttpReply.StreamedBody body, Callback done) {
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                body.writeTo(out);
            } catch (IOException | RuntimeException e) {
                done.failed(e); // the client went away or the file could not be read: the connection is aborted
                return;
            }
            done.succeeded();
        }
    }
}
