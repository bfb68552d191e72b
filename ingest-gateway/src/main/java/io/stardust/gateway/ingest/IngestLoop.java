package io.stardust.gateway.ingest;

import io.stardust.engine.event.EventLog;
import io.stardust.gateway.ingest.BatchWriter.Abandoned;
import io.stardust.gateway.ingest.BatchWriter.Committed;
import io.stardust.gateway.ingest.BatchWriter.Result;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The consumer thread. It owns the {@link Consumer} (not thread-safe) and never blocks on MySQL for long:
 * batches go to a single writer thread, and while one batch is in flight the next one accumulates; once that
 * one is full too, the assigned partitions are paused, so {@code poll()} keeps being called (well within
 * {@code max.poll.interval.ms}) however slow or unavailable MySQL is, and the group never evicts this member.
 *
 * <p>Positions live only in MySQL. On assignment the partitions are paused until their stored positions are
 * read (after the batch in flight, if any, settles) and sought; a partition without a stored position starts at
 * the beginning of the log. After a fenced or failed batch, the partitions concerned are re-read and re-sought
 * the same way, and records buffered for them are dropped (they will be fetched again).
 */
public final class IngestLoop implements Runnable {
    /** Receives every committed batch with the records it covered (metrics, DLQ topic, benchmarks). */
    public interface CommitListener {
        void committed(Batch batch, Committed result, Duration latency);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final String group;
    private final DataSource ds;
    private final BatchWriter writer;
    private final ExecutorService writerThread;
    private final int maxRecords;
    private final int maxBytes;
    private final Duration linger;
    private final Duration retryBackoff;
    private final CommitListener listener;
    private final java.util.function.LongConsumer lagGauge;
    private final EventLog events = new EventLog("gateway");

    private volatile boolean stopping;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // consumer-thread state
    private final Map<TopicPartition, Long> committedNext = new HashMap<>(); // key present = position known; null value = no row
    private final Set<TopicPartition> ready = new HashSet<>();
    private final Set<TopicPartition> needSeek = new HashSet<>();
    private final Set<TopicPartition> backpressured = new HashSet<>();
    private final Deque<SourceRecord> buffer = new ArrayDeque<>();
    private long bufferBytes;
    private long bufferSinceNanos;
    private CompletableFuture<Result> inFlight;
    private Batch inFlightBatch;
    private long inFlightSinceNanos;
    private long nextSeekAttemptNanos;
    private long lastLagNanos;

    public IngestLoop(Consumer<byte[], byte[]> consumer, String topic, String group, DataSource ds, BatchWriter writer,
                      ExecutorService writerThread, int maxRecords, int maxBytes, Duration linger, Duration retryBackoff,
                      CommitListener listener, java.util.function.LongConsumer lagGauge) {
        this.consumer = consumer;
        this.topic = topic;
        this.group = group;
        this.ds = ds;
        this.writer = writer;
        this.writerThread = writerThread;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.linger = linger;
        this.retryBackoff = retryBackoff;
        this.listener = listener;
        this.lagGauge = lagGauge;
    }

    /** Whether the writer should give up retrying: only when draining for shutdown and out of time. */
    public boolean abandoning() {
        return stopping && System.nanoTime() > drainDeadlineNanos;
    }

    /** Asks the loop to finish the batch in flight (and what is buffered) within {@code drain}, then close. */
    public void stop(Duration drain) {
        drainDeadlineNanos = System.nanoTime() + drain.toNanos();
        stopping = true;
        consumer.wakeup();
    }

    /** Completes when the loop has exited and closed the consumer. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopping) {
                try {
                    loadPendingPositions();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (ready.contains(tp)) {
                            if (buffer.isEmpty()) {
                                bufferSinceNanos = System.nanoTime();
                            }
                            SourceRecord s = SourceRecord.of(r);
                            buffer.addLast(s);
                            bufferBytes += s.sizeBytes();
                        }
                    }
                    collect(false);
                    dispatch(false);
                    backpressure();
                    reportLag();
                } catch (WakeupException e) {
                    // stop() was called; the loop condition ends it
                }
            }
            drain();
            finished.complete(null);
        } catch (RuntimeException | Error e) {
            events.error("gateway_failed", e);
            finished.completeExceptionally(e);
            throw e;
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                events.warning("consumer_close_failed", "error", String.valueOf(e.getMessage()));
            }
        }
    }

    /** SIGTERM: the batch in flight commits (or is abandoned after the drain timeout), then what is buffered. */
    private void drain() {
        collect(true);
        if (!buffer.isEmpty() && !abandoning()) {
            dispatch(true);
            collect(true);
        }
        events.info("gateway_drained", "buffered_dropped", buffer.size());
    }

    private void loadPendingPositions() {
        if (needSeek.isEmpty() || inFlight != null || System.nanoTime() < nextSeekAttemptNanos) {
            return;
        }
        Map<TopicPartition, Long> stored;
        try (Connection c = ds.getConnection()) {
            stored = OffsetStore.load(c, group, needSeek, false);
        } catch (Exception e) {
            // MySQL unavailable: stay paused and keep polling (heartbeats), try again shortly
            events.warning("positions_unavailable", "partitions", needSeek.toString(), "failure", FailureKind.of(e).code(),
                    "error", String.valueOf(e.getMessage()));
            nextSeekAttemptNanos = System.nanoTime() + retryBackoff.toNanos();
            return;
        }
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : needSeek) {
            Long next = stored.get(tp);
            if (next != null) {
                consumer.seek(tp, next);
            } else {
                fromStart.add(tp);
            }
            committedNext.put(tp, next);
            ready.add(tp);
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        consumer.resume(needSeek);
        events.info("partitions_positioned", "partitions", needSeek.toString(), "stored", stored.toString());
        needSeek.clear();
    }

    private void collect(boolean block) {
        if (inFlight == null) {
            return;
        }
        Result result;
        try {
            if (block) {
                long remaining = Math.max(0, drainDeadlineNanos - System.nanoTime());
                // the writer gives up on its own once the deadline passed; allow it one more backoff round to notice
                result = inFlight.get(remaining + TimeUnit.SECONDS.toNanos(15), TimeUnit.NANOSECONDS);
            } else if (inFlight.isDone()) {
                result = inFlight.get();
            } else {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (TimeoutException e) {
            events.warning("drain_timeout", "records", inFlightBatch.records().size());
            inFlight = null;
            return;
        } catch (ExecutionException e) {
            events.error("batch_failed", e.getCause(), "records", inFlightBatch.records().size());
            reposition(inFlightBatch.partitions());
            inFlight = null;
            return;
        }
        Batch batch = inFlightBatch;
        Duration latency = Duration.ofNanos(System.nanoTime() - inFlightSinceNanos);
        inFlight = null;
        inFlightBatch = null;
        if (result instanceof Committed c) {
            for (Map.Entry<TopicPartition, Long> e : c.next().entrySet()) {
                if (ready.contains(e.getKey())) {
                    committedNext.put(e.getKey(), e.getValue());
                }
            }
            listener.committed(batch, c, latency);
        } else if (!(result instanceof Abandoned)) {
            // fenced: the whole batch was rolled back, so every partition in it is re-read from MySQL
            reposition(batch.partitions());
        }
    }

    private void dispatch(boolean force) {
        if (inFlight != null || buffer.isEmpty()) {
            return;
        }
        boolean due = force || buffer.size() >= maxRecords || bufferBytes >= maxBytes
                || System.nanoTime() - bufferSinceNanos >= linger.toNanos();
        if (!due) {
            return;
        }
        List<SourceRecord> records = new ArrayList<>(Math.min(buffer.size(), maxRecords));
        long bytes = 0;
        while (!buffer.isEmpty() && records.size() < maxRecords
                && (records.isEmpty() || bytes + buffer.peekFirst().sizeBytes() <= maxBytes)) {
            SourceRecord r = buffer.pollFirst();
            records.add(r);
            bytes += r.sizeBytes();
        }
        bufferBytes -= bytes;
        bufferSinceNanos = System.nanoTime();
        Map<TopicPartition, Long> expected = new HashMap<>();
        Batch probe = new Batch(records, Map.of());
        for (TopicPartition tp : probe.partitions()) {
            Long next = committedNext.get(tp);
            if (next != null) {
                expected.put(tp, next);
            }
        }
        Batch batch = new Batch(records, expected);
        inFlightBatch = batch;
        inFlightSinceNanos = System.nanoTime();
        inFlight = CompletableFuture.supplyAsync(() -> writer.write(batch), writerThread);
        // Interrupt a poll() that is waiting for records, so the next batch is dispatched as soon as this one commits.
        inFlight.whenComplete((r, e) -> {
            if (!stopping) {
                consumer.wakeup();
            }
        });
    }

    /** Pauses fetching while a full batch waits behind the one in flight; resumes once there is room. */
    private void backpressure() {
        boolean full = buffer.size() >= maxRecords || bufferBytes >= maxBytes;
        if (full) {
            List<TopicPartition> toPause = new ArrayList<>();
            for (TopicPartition tp : ready) {
                if (backpressured.add(tp)) {
                    toPause.add(tp);
                }
            }
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
            }
        } else if (!backpressured.isEmpty()) {
            List<TopicPartition> toResume = new ArrayList<>();
            for (TopicPartition tp : backpressured) {
                if (ready.contains(tp)) {
                    toResume.add(tp);
                }
            }
            backpressured.clear();
            consumer.resume(toResume);
        }
    }

    /** Re-reads the partitions' positions from MySQL before consuming them again. */
    private void reposition(Collection<TopicPartition> partitions) {
        List<TopicPartition> owned = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (ready.remove(tp)) {
                owned.add(tp);
                needSeek.add(tp);
                committedNext.remove(tp);
                backpressured.remove(tp);
            }
        }
        dropBuffered(owned);
        consumer.pause(owned);
    }

    private void dropBuffered(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Iterator<SourceRecord> it = buffer.iterator();
        while (it.hasNext()) {
            SourceRecord r = it.next();
            if (partitions.contains(new TopicPartition(r.topic(), r.partition()))) {
                bufferBytes -= r.sizeBytes();
                it.remove();
            }
        }
    }

    private void reportLag() {
        if (System.nanoTime() - lastLagNanos < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lastLagNanos = System.nanoTime();
        long lag = buffer.size() + (inFlightBatch == null ? 0 : inFlightBatch.records().size());
        for (TopicPartition tp : ready) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        lagGauge.accept(lag);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Not consumed until their MySQL positions are sought (loadPendingPositions, on this thread).
            consumer.pause(partitions);
            needSeek.addAll(partitions);
            nextSeekAttemptNanos = 0;
            events.info("partitions_assigned", "partitions", partitions.toString());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
            events.info("partitions_revoked", "partitions", partitions.toString());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            events.warning("partitions_lost", "partitions", partitions.toString());
        }

        /**
         * A batch in flight for these partitions may still commit: that is safe, because its commit checks the
         * stored positions under a row lock, and whichever of it and the new owner's first batch commits second
         * is fenced off.
         */
        private void forget(Collection<TopicPartition> partitions) {
            ready.removeAll(partitions);
            needSeek.removeAll(partitions);
            backpressured.removeAll(partitions);
            partitions.forEach(committedNext::remove);
            dropBuffered(partitions);
        }
    }
}
