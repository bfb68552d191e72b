package io.stardust.registry.events;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps a process's registry cache in step with {@code stardust.registry}, and says when the cache may rely on the
 * topic and when it must fall back to probing {@code stardust_schema_version}. On its own thread it follows the
 * topic from its end ({@link RegistryChanges}); once positioned it calls {@link Cache#following}, then
 * {@link Cache#changed} for every change. When the topic stops answering (broker down, topic deleted; detected by
 * the follower's health check, or the topic is missing at start) or the cache throws, it calls
 * {@link Cache#notFollowing} once, and keeps retrying every {@code healthCheck}; when the topic answers again it
 * follows anew from its end and calls {@link Cache#following} with {@code resumed = true}.
 *
 * <p>Nothing published while the feed was not following is replayed: the cache drops everything on
 * {@link Cache#following} instead, which covers those changes (they were committed before it, so anything loaded
 * after it sees them).
 */
public final class RegistryCacheFeed implements AutoCloseable {

    /** The cache being kept in step; called from the feed's thread. */
    public interface Cache {
        /**
         * Every change published from now on will be delivered: drop everything cached (earlier changes were not
         * delivered) and stop probing. {@code resumed}: after a {@link #notFollowing}.
         */
        void following(boolean resumed);

        /** One change, in topic order; an exception makes the feed fall back and start over. */
        void changed(RegistryChange change);

        /** Changes may go undelivered from now on: validate against the version table again. */
        void notFollowing(String reason);
    }

    private final Map<String, Object> kafka;
    private final String topic;
    private final Duration healthCheck;
    private final Cache cache;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;

    private RegistryCacheFeed(Map<String, Object> kafka, String topic, Duration healthCheck, Cache cache) {
        this.kafka = Map.copyOf(kafka);
        this.topic = topic;
        this.healthCheck = healthCheck;
        this.cache = cache;
        this.thread = new Thread(this::run, "registry-cache-feed-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * Starts keeping {@code cache} in step with {@code topic}. {@code healthCheck} is how often the topic's
     * availability is checked and how long a broker call may take: a fallback happens within about twice that.
     */
    public static RegistryCacheFeed start(Map<String, Object> kafka, String topic, Duration healthCheck, Cache cache) {
        if (healthCheck == null || healthCheck.isNegative() || healthCheck.isZero()) {
            throw new IllegalArgumentException("healthCheck must be positive, was " + healthCheck);
        }
        RegistryCacheFeed feed = new RegistryCacheFeed(kafka, topic, healthCheck, cache);
        feed.thread.start();
        return feed;
    }

    private void run() {
        boolean followedBefore = false;
        boolean fellBack = false;
        while (!stopped.isDone()) {
            CompletableFuture<String> lost = new CompletableFuture<>();
            RegistryChanges follower;
            try {
                follower = RegistryChanges.follow(kafka, topic, RegistryChanges.Start.latest(), listener(lost), healthCheck);
            } catch (RuntimeException e) {
                if (!fellBack) {
                    cache.notFollowing(describe(e));
                    fellBack = true;
                }
                pause();
                continue;
            }
            try (follower) {
                follower.finished().whenComplete((ok, error) -> lost.complete(error == null ? "the follower stopped"
                        : "the cache failed on a change: " + describe(error)));
                if (stopped.isDone()) {
                    return; // closed while positioning
                }
                cache.following(followedBefore);
                followedBefore = true;
                fellBack = false;
                String reason = CompletableFuture.anyOf(lost, stopped).thenApply(x -> lost.getNow(null)).join();
                if (reason == null) {
                    return; // closed
                }
                cache.notFollowing(reason);
                fellBack = true;
            } catch (RuntimeException e) {
                cache.notFollowing(describe(e));
                fellBack = true;
            }
            pause();
        }
    }

    private RegistryChanges.Listener listener(CompletableFuture<String> lost) {
        return new RegistryChanges.Listener() {
            @Override
            public void change(RegistryChange change) {
                cache.changed(change);
            }

            @Override
            public void malformed(ConsumerRecord<byte[], byte[]> record, MalformedRegistryChangeException error) {
                // Not a change event: nothing a cache could act on (the mirror writes only change events).
            }

            @Override
            public void unavailable(String reason) {
                lost.complete(reason);
            }
        };
    }

    private void pause() {
        try {
            stopped.get(healthCheck.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // retry
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.complete(null);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Whether the feed's thread is still running (it stops only on {@link #close()}). */
    public boolean running() {
        return thread.isAlive();
    }

    /**
     * Stops following. Waits at most a second: the thread may be inside a broker call that cannot be cut short
     * (positioning a new follower); it then finishes on its own, closing what it opened, without calling the cache
     * again (a change already being delivered completes).
     */
    @Override
    public void close() {
        stopped.complete(null);
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
