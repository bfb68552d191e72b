package io.stardust.daemon.http;

/**
 * A request answered with the error shape {@code {"error": code, "message": ...}} and the given status. Thrown by
 * {@link HttpCall#body()} (413, 408) and by services from anywhere in their routing; the endpoint answers it.
 */
public class HttpError extends RuntimeException {
    private final int status;
    private final String code;

    public HttpError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public HttpReply reply() {
        return HttpReply.error(status, code, getMessage());
    }

    public static HttpError badRequest(String code, String message) {
        return new HttpError(400, code, message);
    }
}
