package io.stardust.daemon.http;

import java.time.Duration;

/**
 * Sees every answered request, whoever answered it: the service, or the endpoint in its place (deadline, body too
 * large, a request that is not valid HTTP). This is where a deployable logs its access events.
 */
public interface HttpObserver {
    HttpObserver NONE = new HttpObserver() {
    };

    /** The reply is about to be written; {@code latency} counts from the headers to this moment. */
    default void answered(HttpCall call, int status, Duration latency) {
    }

    /** The service threw something other than {@link HttpError}; the client got 500 {@code internal}. */
    default void failed(HttpCall call, Throwable error) {
    }
}
