package io.stardust.gateway.consumer;

import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Records polled but not yet handed to the writer, in poll order, and the rule for when they make a batch: at
 * {@code maxRecords} records or {@code maxBytes} bytes, or once the oldest has waited {@code linger}. Being
 * {@link #full()} is also the back-pressure signal: the consumer stops fetching until a batch is taken. Consumer
 * thread only.
 */
final class RecordBuffer {
    private final int maxRecords;
    private final int maxBytes;
    private final Duration linger;
    private final Clock clock;
    private final Deque<SourceRecord> records = new ArrayDeque<>();
    private long bytes;
    private Instant since;

    RecordBuffer(int maxRecords, int maxBytes, Duration linger, Clock clock) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.linger = linger;
        this.clock = clock;
    }

    void add(SourceRecord r) {
        if (records.isEmpty()) {
            since = clock.instant();
        }
        records.addLast(r);
        bytes += r.sizeBytes();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    long bytes() {
        return bytes;
    }

    /** A whole batch is waiting: fetching more would only grow memory. */
    boolean full() {
        return records.size() >= maxRecords || bytes >= maxBytes;
    }

    /** A batch should be written now: a full one, or a partial one whose oldest record has lingered long enough. */
    boolean due() {
        return !records.isEmpty() && (full() || !clock.instant().isBefore(since.plus(linger)));
    }

    /** Takes the next batch's records (at least one, at most the limits; an oversized record goes alone). */
    List<SourceRecord> take() {
        List<SourceRecord> out = new ArrayList<>(Math.min(records.size(), maxRecords));
        long taken = 0;
        while (!records.isEmpty() && out.size() < maxRecords
                && (out.isEmpty() || taken + records.peekFirst().sizeBytes() <= maxBytes)) {
            SourceRecord r = records.pollFirst();
            out.add(r);
            taken += r.sizeBytes();
        }
        bytes -= taken;
        since = clock.instant();
        return out;
    }

    /** The records {@link #take()} would take now (it may take fewer when a byte limit cuts the batch). */
    List<SourceRecord> peek() {
        List<SourceRecord> out = new ArrayList<>(Math.min(records.size(), maxRecords));
        for (SourceRecord r : records) {
            if (out.size() == maxRecords) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    /** Drops the records of these partitions (they will be fetched again from their stored positions). */
    void drop(Collection<SourcePartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Iterator<SourceRecord> it = records.iterator();
        while (it.hasNext()) {
            SourceRecord r = it.next();
            if (partitions.contains(r.source())) {
                bytes -= r.sizeBytes();
                it.remove();
            }
        }
    }
}
