package io.stardust.gateway.consumer;

import io.stardust.engine.event.EventLog;
import io.stardust.ingest.failure.FailureKind;
import io.stardust.ingest.plan.RecordPlanner.Prepared;
import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter.Abandoned;
import io.stardust.ingest.write.BatchWriter.Committed;
import io.stardust.ingest.write.BatchWriter.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The consumer thread. It owns the {@link Consumer} (not thread-safe) and never blocks on MySQL for long:
 * batches go to the {@link BatchSink} (the writer thread), and while one batch is in flight the next one
 * accumulates in the {@link RecordBuffer}; once that one is full too, the partitions are paused
 * ({@link BackPressure}), so {@code poll()} keeps being called (well within {@code max.poll.interval.ms}) however
 * slow or unavailable MySQL is, and the group never evicts this member.
 *
 * <p>Positions live only in MySQL ({@link PartitionPositions}, {@link StoredPositions}). On assignment the
 * partitions are paused until their stored positions are read (after the batch in flight, if any, settles) and
 * sought; a partition without a stored position starts at the beginning of the log. After a fenced or failed
 * batch, the partitions concerned are re-read and re-sought the same way, and records buffered for them are
 * dropped (they will be fetched again).
 *
 * <p>Time comes from the injected clock (linger, retry pacing, the drain deadline, lag reports), so a test can
 * drive the loop step by step ({@link #pollOnce()}) with Kafka's {@code MockConsumer}.
 */
public final class IngestLoop implements Runnable {
    /** Receives every committed batch with the records it covered (metrics, DLQ topic, benchmarks). */
    public interface CommitListener {
        void committed(Batch batch, Committed result, Duration latency);
    }

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
    private static final Duration LAG_REPORT_INTERVAL = Duration.ofSeconds(1);
    /** The writer gives up on its own once the drain deadline passed; it gets one more backoff round to notice. */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(15);
    /** Caps the wait of a drain without a deadline (only a caller that never called stop() could see one). */
    private static final Duration MAX_DRAIN = Duration.ofDays(1);

    private final Consumer<byte[], byte[]> consumer;
    private final LoopSettings settings;
    private final StoredPositions storedPositions;
    private final BatchSink sink;
    private final Clock clock;
    private final CommitListener listener;
    private final LongConsumer lagGauge;
    private final EventLog events = new EventLog("gateway");

    private volatile boolean stopping;
    private volatile Instant drainDeadline = Instant.MAX;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // consumer-thread state
    private final PartitionPositions positions = new PartitionPositions();
    private final RecordBuffer buffer;
    private final BackPressure backPressure;
    private CompletableFuture<Result> inFlight;
    private Batch inFlightBatch;
    private Instant inFlightSince;
    /** The next batch's records planned while the batch in flight is written (pipelining); null: not planned yet. */
    private Prepared prepared;
    private Instant nextPositionsAttempt = Instant.MIN;
    private Instant lastLagReport = Instant.MIN;

    public IngestLoop(Consumer<byte[], byte[]> consumer, LoopSettings settings, StoredPositions storedPositions,
                      BatchSink sink, Clock clock, CommitListener listener, LongConsumer lagGauge) {
        this.consumer = consumer;
        this.settings = settings;
        this.storedPositions = storedPositions;
        this.sink = sink;
        this.clock = clock;
        this.listener = listener;
        this.lagGauge = lagGauge;
        this.buffer = new RecordBuffer(settings.maxRecords(), settings.maxBytes(), settings.linger(), clock);
        this.backPressure = new BackPressure(consumer);
    }

    /** Whether the writer should give up retrying: only when draining for shutdown and out of time. */
    public boolean abandoning() {
        return stopping && clock.instant().isAfter(drainDeadline);
    }

    /** Asks the loop to finish the batch in flight (and what is buffered) within {@code drain}, then close. */
    public void stop(Duration drain) {
        drainDeadline = clock.instant().plus(drain);
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
            subscribe();
            while (!stopping) {
                pollOnce();
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

    void subscribe() {
        consumer.subscribe(List.of(settings.topic()), new Rebalance());
    }

    /** One turn of the loop: position, poll, settle the batch in flight, hand over the next, apply back-pressure. */
    void pollOnce() {
        loadPendingPositions();
        try {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (positions.isReady(new TopicPartition(r.topic(), r.partition()))) {
                    buffer.add(Partitions.record(r));
                }
            }
        } catch (WakeupException e) {
            // A batch settled (or stop() was called): hand over the next batch in this very turn. Returning here
            // instead left the writer idle for a whole poll timeout per batch, the next poll() waiting on paused
            // partitions; stop() is seen by the caller's loop condition either way.
        }
        collect(false);
        dispatch(false);
        prepareNext();
        backPressure.apply(buffer.full(), positions.ready());
        reportLag();
    }

    /** SIGTERM: the batch in flight commits (or is abandoned after the drain timeout), then what is buffered. */
    void drain() {
        collect(true);
        if (!buffer.isEmpty() && !abandoning()) {
            dispatch(true);
            collect(true);
        }
        events.info("gateway_drained", "buffered_dropped", buffer.size());
    }

    private void loadPendingPositions() {
        if (!positions.hasPending() || inFlight != null || clock.instant().isBefore(nextPositionsAttempt)) {
            return;
        }
        Set<TopicPartition> pending = positions.pending();
        Map<SourcePartition, Long> stored;
        try {
            stored = storedPositions.load(Partitions.source(pending));
        } catch (Exception e) {
            // MySQL unavailable: stay paused and keep polling (heartbeats), try again shortly
            events.warning("positions_unavailable", "partitions", pending.toString(), "failure", FailureKind.of(e).code(),
                    "error", String.valueOf(e.getMessage()));
            nextPositionsAttempt = clock.instant().plus(settings.retryBackoff());
            return;
        }
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : pending) {
            Long next = stored.get(Partitions.source(tp));
            if (next != null) {
                consumer.seek(tp, next);
            } else {
                fromStart.add(tp);
            }
            positions.positioned(tp, next);
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        consumer.resume(pending);
        events.info("partitions_positioned", "partitions", pending.toString(), "stored", stored.toString());
    }

    private void collect(boolean block) {
        if (inFlight == null) {
            return;
        }
        Result result;
        try {
            if (block) {
                result = inFlight.get(untilDrainDeadline().plus(DRAIN_GRACE).toMillis(), TimeUnit.MILLISECONDS);
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
        Duration latency = Duration.between(inFlightSince, clock.instant());
        inFlight = null;
        inFlightBatch = null;
        if (result instanceof Committed c) {
            positions.committed(c.next());
            listener.committed(batch, c, latency);
        } else if (!(result instanceof Abandoned)) {
            // fenced: the whole batch was rolled back, so every partition in it is re-read from MySQL
            reposition(batch.partitions());
        }
    }

    private Duration untilDrainDeadline() {
        Duration remaining = Duration.between(clock.instant(), drainDeadline);
        return remaining.isNegative() ? Duration.ZERO : remaining.compareTo(MAX_DRAIN) > 0 ? MAX_DRAIN : remaining;
    }

    private void dispatch(boolean force) {
        if (inFlight != null || !(force ? !buffer.isEmpty() : buffer.due())) {
            return;
        }
        Batch probe = new Batch(buffer.take(), Map.of());
        Batch batch = new Batch(probe.records(), positions.expected(probe.partitions()), prepared);
        prepared = null;
        inFlightBatch = batch;
        inFlightSince = clock.instant();
        inFlight = sink.submit(batch);
        // Interrupt a poll() that is waiting for records, so the next batch is dispatched as soon as this one commits.
        inFlight.whenComplete((r, e) -> {
            if (!stopping) {
                consumer.wakeup();
            }
        });
    }

    /**
     * Pipelining: once the next batch is full while one is in flight, its records are planned now, on this thread,
     * so the writer finds the CPU part of its next batch done when it gets it ({@code BatchSink.prepare}). Plans
     * are matched to records by identity, so records dropped meanwhile (revocation, a fenced batch) simply have none.
     */
    private void prepareNext() {
        if (inFlight == null || prepared != null || !buffer.full()) {
            return;
        }
        prepared = sink.prepare(buffer.peek());
    }

    /** Re-reads the partitions' positions from MySQL before consuming them again. */
    private void reposition(Collection<SourcePartition> partitions) {
        List<TopicPartition> moved = positions.reposition(partitions);
        backPressure.forget(moved);
        buffer.drop(Partitions.source(moved));
        prepared = null;
        consumer.pause(moved);
    }

    private void reportLag() {
        Instant now = clock.instant();
        if (now.isBefore(lastLagReport.plus(LAG_REPORT_INTERVAL))) {
            return;
        }
        lastLagReport = now;
        long lag = buffer.size() + (inFlightBatch == null ? 0 : inFlightBatch.records().size());
        for (TopicPartition tp : positions.ready()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        lagGauge.accept(lag);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Not consumed until their MySQL positions are sought (loadPendingPositions, on this thread).
            consumer.pause(partitions);
            positions.assigned(partitions);
            nextPositionsAttempt = Instant.MIN;
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
            positions.forget(partitions);
            backPressure.forget(partitions);
            buffer.drop(Partitions.source(partitions));
            prepared = null;
        }
    }
}
