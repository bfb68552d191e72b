package io.stardust.daemon.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;

/** Error codes and client-facing messages for requests that fail as HTTP, before or while a service reads them. */
final class ProtocolErrors {
    private ProtocolErrors() {
    }

    /** The {@code error} code for a status the endpoint itself answers. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    /**
     * The parser's reason (Jetty's {@code HttpException} reasons are short protocol phrases such as "Invalid
     * Content-Length Value"), never an exception's class or stack; the status phrase when there is none.
     */
    static String reason(HttpException e) {
        String reason = e.getReason();
        return reason == null || reason.isBlank() ? HttpStatus.getMessage(e.getCode()) : reason;
    }
}
