package io.stardust.daemon.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete answer: status, content type, body and extra headers. Services return one instead of writing to a
 * stream, so the endpoint sends headers and body in one write (no Nagle/delayed-ACK stall) and can answer in the
 * service's place when a deadline passes.
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";

    public HttpReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
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
        return new HttpReply(status, contentType, body, h);
    }
}
