package io.stardust.daemon.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before any service sees it (a request that is not valid HTTP: bad Content-Length,
 * Content-Length with Transfer-Encoding, a TLS handshake on the plain port, an oversized head, a shutdown
 * rejection) in the endpoint's JSON error shape, instead of Jetty's HTML page naming Java exceptions.
 */
final class JsonErrorHandler implements Request.Handler {
    private final HttpObserver observer;

    JsonErrorHandler(HttpObserver observer) {
        this.observer = observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = null;
        for (Throwable t = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION); t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() > 0) {
                status = http.getCode();
                message = ProtocolErrors.reason(http);
                break;
            }
        }
        if (status < 400) {
            status = 500;
        }
        if (message == null) {
            message = HttpStatus.getMessage(status);
        }
        String correlationId = UUID.randomUUID().toString();
        HttpReply reply = HttpReply.error(status, ProtocolErrors.code(status), message);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.getHeaders().put("X-Correlation-Id", correlationId);
        HttpCall call = new HttpCall(request, correlationId, 0, System.nanoTime(), 0);
        observer.answered(call, status, Duration.ZERO);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
        return true;
    }
}
