package io.stardust.http;

import io.stardust.daemon.http.HttpError;
import io.stardust.engine.access.ApiKey;
import io.stardust.engine.access.ApiKeys;

/**
 * The key of a request: {@code Authorization: Bearer <key>}, looked up by its hash (compared in constant time by
 * {@link ApiKeys}). Missing, malformed, unknown and revoked keys are all 401 {@code unauthorized}, with
 * {@code WWW-Authenticate}.
 */
final class Authenticator {
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;

    Authenticator(ApiKeys keys) {
        this.keys = keys;
    }

    ApiKey authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthorized("this endpoint needs an API key: send 'Authorization: Bearer <key>'");
        }
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new Unauthorized("the Authorization header must be 'Bearer <key>'");
        }
        return keys.authenticate(authorization.substring(BEARER.length()).trim())
                .orElseThrow(() -> new Unauthorized("the API key is not valid (unknown or revoked)"));
    }

    /** 401 with the challenge header. */
    static final class Unauthorized extends HttpError {
        Unauthorized(String message) {
            super(401, "unauthorized", message);
        }
    }
}
