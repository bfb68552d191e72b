package io.stardust.registry.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows {@code stardust.registry}: calls a listener once per registry change, in topic order, from a chosen
 * position, on a thread of its own. Every process follows the whole topic by itself (partitions are assigned,
 * not shared through a consumer group), so each cache sees every change.
 *
 * <p>Idempotent: the mirror publishes at least once, so after a mirror crash a change can appear twice. The
 * follower remembers the last position it delivered per row and drops a change whose source position is not
 * after it. A follower started in the middle of the topic can still see a duplicate of a change published before
 * its start position; listeners should therefore be idempotent too (cache invalidation is), keyed by
 * {@link RegistryChange#idempotencyKey()} where it matters.
 *
 * <p>Tombstones (null values after deletes) are skipped. A record that is not a change event goes to
 * {@link Listener#malformed} and is skipped, so one bad record never stops a cache from following.
 */
public final class RegistryChanges implements AutoCloseable {

    /** Receives changes on the follower's thread. An exception from {@link #change} stops the follower. */
    public interface Listener {
        void change(RegistryChange change);

        default void malformed(ConsumerRecord<byte[], byte[]> record, MalformedRegistryChangeException error) {
        }

        /**
         * The topic stopped answering (broker unreachable, topic deleted): changes may be published that this
         * follower cannot read. Called once per outage, from the health check.
         */
        default void unavailable(String reason) {
        }

        /** The topic answers again after {@link #unavailable}. */
        default void available() {
        }
    }

    /** Where to start: the beginning, the end, or the positions {@link #positions()} returned earlier. */
    public record Start(Kind kind, Map<Integer, Long> offsets) {
        enum Kind { EARLIEST, LATEST, OFFSETS }

        public static Start earliest() {
            return new Start(Kind.EARLIEST, Map.of());
        }

        public static Start latest() {
            return new Start(Kind.LATEST, Map.of());
        }

        /** Partition to next offset; partitions not named start at the beginning. */
        public static Start at(Map<Integer, Long> offsets) {
            return new Start(Kind.OFFSETS, Map.copyOf(offsets));
        }
    }

    private static final Duration POLL = Duration.ofMillis(200);
    /** Health check interval and broker call timeout of {@link #follow(Map, String, Start, Listener)}. */
    public static final Duration DEFAULT_HEALTH_CHECK = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Listener listener;
    private final Map<String, SourcePosition> lastDelivered = new HashMap<>();
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Thread thread;
    private final Duration healthCheck;
    private volatile boolean stopping;
    private boolean unavailable;
    private volatile long duplicatesDropped;
    private Map<TopicPartition, Long> endAtStart;

    private RegistryChanges(Properties consumerProperties, String topic, Listener listener, Duration healthCheck) {
        this.consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.listener = listener;
        this.healthCheck = healthCheck;
        this.thread = new Thread(this::run, "registry-changes-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following {@code topic}. {@code kafka} holds at least {@code bootstrap.servers}; group, offset and
     * deserializer settings are the follower's own and are overwritten.
     */
    public static RegistryChanges follow(Map<String, Object> kafka, String topic, Start start, Listener listener) {
        return follow(kafka, topic, start, listener, DEFAULT_HEALTH_CHECK);
    }

    /**
     * Like {@link #follow(Map, String, Start, Listener)}; every {@code healthCheck} the follower asks the broker for
     * the topic's end offsets (waiting at most {@code healthCheck}) and reports {@link Listener#unavailable} /
     * {@link Listener#available} on a change of outcome. Without it a Kafka consumer waits silently through a
     * broker outage. The topic must exist now ({@link IllegalStateException} after at most {@code healthCheck}).
     */
    public static RegistryChanges follow(Map<String, Object> kafka, String topic, Start start, Listener listener,
                                         Duration healthCheck) {
        if (healthCheck == null || healthCheck.isNegative() || healthCheck.isZero()) {
            throw new IllegalArgumentException("healthCheck must be positive, was " + healthCheck);
        }
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A follower must never create the registry topic: the broker would create it uncompacted.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // A position past the end (the topic was re-created) re-reads the topic rather than skipping changes.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(healthCheck.toMillis()));
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stardust-registry-follower-" + ProcessHandle.current().pid());
        RegistryChanges rc = new RegistryChanges(p, topic, listener, healthCheck);
        try {
            rc.assign(start);
        } catch (RuntimeException e) {
            rc.consumer.close(Duration.ZERO);
            throw e;
        }
        rc.thread.start();
        return rc;
    }

    private void assign(Start start) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic); // waits up to default.api.timeout.ms
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            infos = List.of();
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("registry topic '" + topic + "' does not exist (is the registry mirror running?)");
        }
        List<TopicPartition> parts = new ArrayList<>();
        infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        consumer.assign(parts);
        switch (start.kind()) {
            case EARLIEST -> consumer.seekToBeginning(parts);
            case LATEST -> consumer.seekToEnd(parts);
            case OFFSETS -> {
                List<TopicPartition> rest = new ArrayList<>();
                for (TopicPartition tp : parts) {
                    Long o = start.offsets().get(tp.partition());
                    if (o == null) {
                        rest.add(tp);
                    } else {
                        consumer.seek(tp, o);
                    }
                }
                if (!rest.isEmpty()) { // an empty collection would mean "every assigned partition"
                    consumer.seekToBeginning(rest);
                }
            }
        }
        endAtStart = new HashMap<>(consumer.endOffsets(parts));
        for (TopicPartition tp : parts) {
            positions.put(tp.partition(), consumer.position(tp));
        }
        checkCaughtUp();
    }

    private void run() {
        try {
            long nextCheck = System.nanoTime() + healthCheck.toNanos();
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    deliver(r);
                    positions.put(r.partition(), r.offset() + 1);
                }
                checkCaughtUp();
                if (System.nanoTime() - nextCheck >= 0) {
                    checkHealth();
                    nextCheck = System.nanoTime() + healthCheck.toNanos();
                }
            }
            finished.complete(null);
        } catch (WakeupException e) {
            finished.complete(null);
        } catch (RuntimeException e) {
            caughtUp.completeExceptionally(e);
            finished.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        RegistryChange change;
        try {
            change = RegistryChangeCodec.decode(r.value());
        } catch (MalformedRegistryChangeException e) {
            listener.malformed(r, e);
            return;
        }
        SourcePosition last = lastDelivered.get(change.rowKey());
        if (last != null && change.source().compareTo(last) <= 0) {
            duplicatesDropped++;
            return;
        }
        listener.change(change);
        lastDelivered.put(change.rowKey(), change.source());
    }

    private void checkHealth() {
        String problem;
        try {
            // Needs the partition leaders to answer: fails while the broker is down or the topic is gone.
            consumer.endOffsets(consumer.assignment(), healthCheck);
            problem = null;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (problem != null && !unavailable) {
            unavailable = true;
            listener.unavailable("registry topic '" + topic + "' does not answer (" + problem + ")");
        } else if (problem == null && unavailable) {
            unavailable = false;
            listener.available();
        }
    }

    private void checkCaughtUp() {
        if (caughtUp.isDone()) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
            if (positions.getOrDefault(e.getKey().partition(), 0L) < e.getValue()) {
                return;
            }
        }
        caughtUp.complete(null);
    }

    /** Completes once every change that was on the topic when following started has been delivered. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Completes when the follower stops: normally after {@link #close()}, exceptionally if the listener threw. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** Partition to the next offset to read: pass to {@link Start#at} to resume after a restart. */
    public Map<Integer, Long> positions() {
        return Map.copyOf(positions);
    }

    /** Re-deliveries the follower recognised and dropped. */
    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
