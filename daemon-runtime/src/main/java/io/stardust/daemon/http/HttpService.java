package io.stardust.daemon.http;

/**
 * What an {@link HttpEndpoint} serves: one complete reply per request, computed on a worker thread (blocking is
 * fine). An {@link HttpError} is answered as its error shape; any other exception as 500 {@code internal}, after
 * {@link HttpObserver#failed} saw it.
 */
@FunctionalInterface
public interface HttpService {
    HttpReply serve(HttpCall call) throws Exception;
}
