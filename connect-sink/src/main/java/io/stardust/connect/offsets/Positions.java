package io.stardust.connect.offsets;

import io.stardust.ingest.source.SourcePartition;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What a task knows of its partitions' positions in MySQL, the one source of truth: for each assigned partition
 * either the stored next offset, "no row" (the start of the source), or unresolved (not read yet, or possibly
 * moved by a batch that did not finish). A record is written only when its partition is resolved, the consumer
 * was sought to the stored position, and its offset is at or after that position.
 */
public final class Positions {
    /** Resolved partitions; a null value means no row (nothing of the partition written yet). */
    private final Map<TopicPartition, Long> stored = new HashMap<>();
    private final Set<TopicPartition> unresolved = new HashSet<>();

    public void assigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            stored.remove(tp);
            unresolved.add(tp);
        }
    }

    public void revoked(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            stored.remove(tp);
            unresolved.remove(tp);
        }
    }

    /** Forget what we knew: a batch that may have committed in part, or another owner moved them. */
    public void invalidate(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            stored.remove(tp);
            unresolved.add(tp);
        }
    }

    /** Those of {@code partitions} whose position must be read from MySQL before anything is written. */
    public Set<TopicPartition> unresolvedAmong(Collection<TopicPartition> partitions) {
        Set<TopicPartition> out = new HashSet<>();
        for (TopicPartition tp : partitions) {
            if (unresolved.contains(tp) || !stored.containsKey(tp)) {
                out.add(tp);
            }
        }
        return out;
    }

    /** Positions read from MySQL for {@code partitions} (absent = no row); returns where to seek the consumer. */
    public Map<TopicPartition, Long> resolved(Collection<TopicPartition> partitions, Map<SourcePartition, Long> rows) {
        Map<TopicPartition, Long> seek = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = rows.get(new SourcePartition(tp.topic(), tp.partition()));
            stored.put(tp, next);
            unresolved.remove(tp);
            // No row: the start of the source. An offset before the log start is reset by auto.offset.reset.
            seek.put(tp, next == null ? 0L : next);
        }
        return seek;
    }

    /** Where to seek each partition so the consumer re-reads from the stored positions. */
    public Map<TopicPartition, Long> seekTargets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> seek = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp);
            seek.put(tp, next == null ? 0L : next);
        }
        return seek;
    }

    /** False for a record already written (Connect hands records again after a retriable failure or a rewind). */
    public boolean isPending(TopicPartition tp, long offset) {
        Long next = stored.get(tp);
        return next == null || offset >= next;
    }

    /** {@code Batch.expected}: the stored position of each partition that has a row. */
    public Map<SourcePartition, Long> expected(Collection<SourcePartition> partitions) {
        Map<SourcePartition, Long> out = new HashMap<>();
        for (SourcePartition sp : partitions) {
            Long next = stored.get(new TopicPartition(sp.topic(), sp.partition()));
            if (next != null) {
                out.put(sp, next);
            }
        }
        return out;
    }

    public void committed(Map<SourcePartition, Long> next) {
        next.forEach((sp, offset) -> stored.put(new TopicPartition(sp.topic(), sp.partition()), offset));
    }
}
