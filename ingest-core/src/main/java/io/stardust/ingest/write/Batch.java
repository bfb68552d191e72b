package io.stardust.ingest.write;

import io.stardust.ingest.plan.RecordPlanner.Prepared;
import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records to write in one transaction, in offset order per partition, and for each of their partitions the
 * stored position this consumer believes MySQL holds (absent from the map = no row yet). The write checks that
 * belief under a row lock: if another consumer moved the position meanwhile, this batch is fenced off.
 * {@code prepared}: plans made for (some of) these records ahead of the transaction ({@link BatchWriter#prepare}),
 * or {@link Prepared#NONE}.
 */
public record Batch(List<SourceRecord> records, Map<SourcePartition, Long> expected, Prepared prepared) {
    public Batch {
        records = List.copyOf(records);
        expected = new HashMap<>(expected);
        prepared = prepared == null ? Prepared.NONE : prepared;
    }

    public Batch(List<SourceRecord> records, Map<SourcePartition, Long> expected) {
        this(records, expected, Prepared.NONE);
    }

    public Set<SourcePartition> partitions() {
        Set<SourcePartition> out = new LinkedHashSet<>();
        for (SourceRecord r : records) {
            out.add(new SourcePartition(r.topic(), r.partition()));
        }
        return out;
    }

    /** Per partition, the offset after its last record here: the position to store on commit. */
    public Map<SourcePartition, Long> nextOffsets() {
        Map<SourcePartition, Long> out = new HashMap<>();
        for (SourceRecord r : records) {
            out.merge(new SourcePartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
        }
        return out;
    }

    public int bytes() {
        int n = 0;
        for (SourceRecord r : records) {
            n += r.sizeBytes();
        }
        return n;
    }
}
