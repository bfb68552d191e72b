package io.stardust.daemon.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete answer: status, content type, body and extra headers. Services return one instead of writing to a
 * stream, so the endpoint sends headers and body in one write (no Nagle/delayed-ACK stall) and can answer in the
 * service's place when a deadline passes. The one exception is a {@link #streamed} body (a file download), too large
 * to hold: the endpoint writes it after the head, on the worker thread, once the service has returned.
 *
 * @param stream null, or the body to write after the head ({@code body} is then empty)
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers, StreamedBody stream) {
    public static final String JSON = "application/json; charset=utf-8";

    public HttpReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    /**
     * A body of a known length written to the connection as it is produced, never held whole. The response deadline
     * does not cover it (the head is sent by then); a stalled client is bounded by the idle timeout.
     */
    public interface StreamedBody {
        /** Exactly the number of bytes {@link #writeTo} writes: the {@code Content-Length}. */
        long length();

        void writeTo(OutputStream out) throws IOException;
    }

    public static HttpReply streamed(int status, String contentType, StreamedBody body) {
        return new HttpReply(status, contentType, new byte[0], Map.of(), Objects.requireNonNull(body, "body"));
    }

    /** The {@code Content-Length} of this reply. */
    public long length() {
        return stream == null ? body.length : stream.length();
    }

    public static HttpReply json(int status, String json) {
        return new HttpReply(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpReply text(int status, String contentType, String text) {
        return new HttpReply(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The error shape every StarDust endpoint uses: {@code {"error": code, "message": ...}}. */
    public static HttpReply error(int status, String code, String message) {
        return json(status, "{\"error\":" + JsonText.quote(code) + ",\"message\":" + JsonText.quote(message) + "}");
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, h, stream);
    }
}
