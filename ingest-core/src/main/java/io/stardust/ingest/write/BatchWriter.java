package io.stardust.ingest.write;

import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.engine.write.KeyedWrites;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.failure.FailureKind;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.plan.RecordPlanner.Accepted;
import io.stardust.ingest.plan.RecordPlanner.Planned;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import io.stardust.ingest.plan.RejectReason;
import io.stardust.ingest.positions.OffsetStore;
import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Writes one batch effectively-once: in ONE MySQL transaction it (1) locks the batch's rows of
 * {@code stardust_ingest_offsets} and checks they still hold the positions this consumer started from (else the
 * batch is fenced: another consumer owns the partition now), (2) plans every record (record errors become DLQ
 * rows), (3) writes the good records through the engine's keyed write path, which also writes slot rows,
 * sync-queue rows and the batch's outbox row (its events, with after-images when {@code afterImages}), (4)
 * inserts the DLQ rows, (5) stores the new positions, and commits.
 *
 * <p>Crash points: a crash anywhere before the COMMIT reaches InnoDB's log leaves nothing of the batch (InnoDB
 * rolls it back on recovery), and the positions still point at the batch's first records, so the next owner
 * consumes them again. A crash after the commit leaves entries, DLQ rows, events and positions together; the
 * next owner starts after the batch. There is no state in between.
 *
 * <p>Failures are classified once ({@link FailureKind}). An outage (MySQL down, restarting, connection lost,
 * deadlock, a key created concurrently by another writer), and any error not known to be the data's, is retried with exponential backoff without advancing
 * anything. A data error MySQL raises for the batch (SQLSTATE 22/23) is never retried as such: the batch is split
 * in halves, each written in its own transaction (positions chained from one to the next), and halves that fail
 * again are split further, until the record MySQL refuses on its own is quarantined as
 * {@code rejected_by_database}; so one bad record never blocks its partition, and costs about 2·log2(batch)
 * transactions. DLQ rows themselves cannot fail the batch ({@link IngestDlqStore} stores a row MySQL refuses in a
 * minimal form).
 */
public final class BatchWriter {
    private final DataSource ds;
    private final RecordPlanner planner;
    private final IngestDlqStore dlq;
    private final String group;
    private final UtcClock clock;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final BooleanSupplier abandon;
    private final Listener listener;
    private final HoldPoints holds;
    private final boolean afterImages;
    private final EventLog events = new EventLog("gateway");

    /** Observes retries (for metrics). */
    public interface Listener {
        void retried(Throwable cause);

        Listener NONE = cause -> {
        };
    }

    public BatchWriter(DataSource ds, RecordPlanner planner, IngestDlqStore dlq, String group, UtcClock clock,
                       Duration backoffMin, Duration backoffMax, BooleanSupplier abandon, Listener listener, HoldPoints holds,
                       boolean afterImages) {
        this.ds = ds;
        this.planner = planner;
        this.dlq = dlq;
        this.group = group;
        this.clock = clock;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        this.abandon = abandon;
        this.listener = listener;
        this.holds = holds;
        this.afterImages = afterImages;
    }

    /** What became of a batch. */
    public sealed interface Result permits Committed, Fenced, Abandoned {
    }

    /**
     * Written: new positions per partition, what the good records did, the quarantined records, and when the
     * COMMIT returned (epoch millis; what produce-to-durable latency is measured against).
     */
    public record Committed(Map<SourcePartition, Long> next, int created, int updated, int deleted, int unchanged,
                            List<Rejected> rejected, long committedAtMillis) implements Result {
        static Committed empty() {
            return new Committed(Map.of(), 0, 0, 0, 0, List.of(), 0);
        }

        Committed plus(Committed o) {
            Map<SourcePartition, Long> n = new HashMap<>(next);
            n.putAll(o.next);
            List<Rejected> r = new ArrayList<>(rejected);
            r.addAll(o.rejected);
            return new Committed(n, created + o.created, updated + o.updated, deleted + o.deleted, unchanged + o.unchanged, r,
                    Math.max(committedAtMillis, o.committedAtMillis));
        }

        public int written() {
            return created + updated + deleted + unchanged;
        }
    }

    /** Nothing written: these partitions' stored positions are not what this consumer expected. */
    public record Fenced(Set<SourcePartition> partitions) implements Result {
    }

    /** Nothing (more) written: shutting down while MySQL was unavailable. */
    public record Abandoned() implements Result {
    }

    /**
     * Plans these records ahead of their transaction, off the writing thread (the CPU part of a batch), for a
     * {@link Batch} to carry into {@link #write}: the transaction uses a plan only if it reads the schema version
     * the plan was made under, and plans the rest itself ({@link RecordPlanner#prepare}). Nothing is read or written.
     */
    public RecordPlanner.Prepared prepare(List<SourceRecord> records) {
        return planner.prepare(records);
    }

    public Result write(Batch batch) {
        long waitMs = backoffMin.toMillis();
        while (true) {
            try {
                return writeOnce(batch, null);
            } catch (SQLException | RuntimeException e) {
                FailureKind kind = FailureKind.of(e);
                if (kind == FailureKind.DATA) {
                    return batch.records().size() > 1 ? isolate(batch, e) : quarantineRefused(batch, e);
                }
                if (!backOff(batch, kind, e, waitMs)) {
                    return new Abandoned();
                }
                waitMs = Math.min(waitMs * 2, backoffMax.toMillis());
            }
        }
    }

    /** Halves written one after the other, positions chained: the half holding the refused record is split again. */
    private Result isolate(Batch batch, Throwable cause) {
        events.warning("batch_isolated", "records", batch.records().size(), "error", String.valueOf(cause.getMessage()));
        List<SourceRecord> records = batch.records();
        int mid = records.size() / 2;
        Map<SourcePartition, Long> expected = new HashMap<>(batch.expected());
        Committed total = Committed.empty();
        for (List<SourceRecord> half : List.of(records.subList(0, mid), records.subList(mid, records.size()))) {
            Result res = write(new Batch(half, expected, batch.prepared()));
            if (!(res instanceof Committed c)) {
                return res; // the consumer re-reads positions from MySQL, so the halves committed so far count
            }
            expected.putAll(c.next());
            total = total.plus(c);
        }
        return total;
    }

    /** MySQL refuses this one record with a data error: it is quarantined as {@code rejected_by_database}. */
    private Result quarantineRefused(Batch single, Throwable cause) {
        SourceRecord r = single.records().get(0);
        Rejected refused = new Rejected(r, RejectReason.REJECTED_BY_DATABASE, String.valueOf(cause.getMessage()), null);
        long waitMs = backoffMin.toMillis();
        while (true) {
            try {
                return writeOnce(single, refused);
            } catch (SQLException | RuntimeException e) {
                // Only a DLQ table that refuses even a minimal row gets here with a data error: nothing is skipped,
                // the event names the failure, and an operator must repair the table.
                if (!backOff(single, FailureKind.of(e), e, waitMs)) {
                    return new Abandoned();
                }
                waitMs = Math.min(waitMs * 2, backoffMax.toMillis());
            }
        }
    }

    /** Reports a failed attempt and waits; false when shutting down (the batch is abandoned, nothing advanced). */
    private boolean backOff(Batch batch, FailureKind kind, Throwable e, long waitMs) {
        listener.retried(e);
        events.warning("batch_retry", "records", batch.records().size(), "backoff_ms", waitMs, "failure", kind.code(),
                "error", e.getClass().getSimpleName() + ": " + e.getMessage());
        return !abandon.getAsBoolean() && sleep(waitMs);
    }

    /** The transaction; {@code forced} replaces planning of a single record by that rejection. */
    private Result writeOnce(Batch batch, Rejected forced) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Result result = Tx.inTransaction(c, tx -> {
                Set<SourcePartition> partitions = batch.partitions();
                Map<SourcePartition, Long> stored = OffsetStore.load(tx, group, partitions, true);
                List<SourcePartition> fenced = new ArrayList<>();
                for (SourcePartition tp : partitions) {
                    if (!Objects.equals(stored.get(tp), batch.expected().get(tp))) {
                        fenced.add(tp);
                    }
                }
                if (!fenced.isEmpty()) {
                    events.warning("partitions_fenced", "partitions", fenced.toString());
                    return new Fenced(Set.copyOf(fenced));
                }
                LocalDateTime now = clock.now();
                List<KeyedWrites.Op> ops = new ArrayList<>();
                List<Rejected> rejected = new ArrayList<>();
                if (forced != null) {
                    rejected.add(forced);
                } else {
                    RecordPlanner.Session session = planner.session(tx, batch.prepared());
                    for (SourceRecord r : batch.records()) {
                        Planned p = session.plan(r);
                        if (p instanceof Accepted a) {
                            ops.add(r.origin() == null ? a.op() : a.op().withOrigin(r.origin()));
                        } else {
                            rejected.add((Rejected) p);
                        }
                    }
                }
                List<KeyedWrites.Outcome> outcomes = KeyedWrites.apply(tx, ops, now, afterImages);
                dlq.insert(tx, rejected, now);
                OutboxStore.record(tx, deadLetteredImportLines(rejected), now);
                Map<SourcePartition, Long> next = batch.nextOffsets();
                OffsetStore.save(tx, group, next, stored, now);
                int created = 0;
                int updated = 0;
                int deleted = 0;
                for (KeyedWrites.Outcome o : outcomes) {
                    switch (o.type()) {
                        case OutboxEvent.CREATED -> created++;
                        case OutboxEvent.UPDATED -> updated++;
                        case OutboxEvent.DELETED -> deleted++;
                        default -> {
                        }
                    }
                }
                holds.reached("before_commit");
                return new Committed(next, created, updated, deleted, outcomes.size() - created - updated - deleted, rejected, 0);
            });
            if (result instanceof Committed done) {
                holds.reached("after_commit");
                return new Committed(done.next(), done.created(), done.updated(), done.deleted(), done.unchanged(), done.rejected(),
                        System.currentTimeMillis());
            }
            return result;
        }
    }

    /**
     * A quarantined file-import line has no entry, hence no entry event: this event, in the DLQ row's transaction,
     * is how the import's accounting (which reads only the events topic) learns the line is done.
     */
    private static List<OutboxStore.Change> deadLetteredImportLines(List<Rejected> rejected) {
        List<OutboxStore.Change> out = new ArrayList<>();
        for (Rejected r : rejected) {
            if (r.source().origin() != null) {
                out.add(new OutboxStore.Change(OutboxEvent.DEAD_LETTERED, r.tenantId() == null ? 0 : r.tenantId(), 0, 0, null,
                        null, r.source().origin().deadLettered(r.reason().code())));
            }
        }
        return out;
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
