package io.stardust.http;

/**
 * A request the API answers with a typed error body {@code {"error": code, "message": ...}} and the given status.
 * Unchecked so route code can throw it from anywhere; the handler turns it into the response.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }
}
