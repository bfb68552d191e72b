package io.stardust.gateway.consumer;

import io.stardust.ingest.source.SourcePartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the consumer stands on each assigned partition: either waiting for its position to be read from MySQL
 * (just assigned, or after a fenced or failed batch), or ready, with the position this consumer believes MySQL
 * holds (what the next batch's fencing check expects). Consumer thread only.
 */
final class PartitionPositions {
    private final Set<TopicPartition> pending = new HashSet<>();
    private final Set<TopicPartition> ready = new HashSet<>();
    private final Map<TopicPartition, Long> stored = new HashMap<>(); // ready partitions only; null value = no row yet

    void assigned(Collection<TopicPartition> partitions) {
        pending.addAll(partitions);
    }

    /** Revoked or lost: nothing about them is known any more. */
    void forget(Collection<TopicPartition> partitions) {
        pending.removeAll(partitions);
        ready.removeAll(partitions);
        partitions.forEach(stored::remove);
    }

    Set<TopicPartition> pending() {
        return Set.copyOf(pending);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** MySQL holds {@code next} for the partition ({@code null}: no row, consumed from the beginning of the log). */
    void positioned(TopicPartition tp, Long next) {
        if (pending.remove(tp)) {
            ready.add(tp);
            stored.put(tp, next);
        }
    }

    boolean isReady(TopicPartition tp) {
        return ready.contains(tp);
    }

    Set<TopicPartition> ready() {
        return Collections.unmodifiableSet(ready);
    }

    /** A batch committed these positions; partitions revoked meanwhile are not brought back. */
    void committed(Map<SourcePartition, Long> next) {
        next.forEach((sp, offset) -> {
            TopicPartition tp = Partitions.kafka(sp);
            if (ready.contains(tp)) {
                stored.put(tp, offset);
            }
        });
    }

    /** The positions a batch over these partitions expects MySQL to hold; absent = no row yet. */
    Map<SourcePartition, Long> expected(Collection<SourcePartition> partitions) {
        Map<SourcePartition, Long> out = new HashMap<>();
        for (SourcePartition sp : partitions) {
            Long next = stored.get(Partitions.kafka(sp));
            if (next != null) {
                out.put(sp, next);
            }
        }
        return out;
    }

    /** Ready partitions among these go back to pending (re-read from MySQL); returns those that did. */
    List<TopicPartition> reposition(Collection<SourcePartition> partitions) {
        List<TopicPartition> moved = new ArrayList<>();
        for (SourcePartition sp : partitions) {
            TopicPartition tp = Partitions.kafka(sp);
            if (ready.remove(tp)) {
                stored.remove(tp);
                pending.add(tp);
                moved.add(tp);
            }
        }
        return moved;
    }
}
