package io.stardust.ingest.dlq;

import io.stardust.engine.db.UtcClock;
import io.stardust.engine.write.KeyedWrites;
import io.stardust.ingest.failure.FailureKind;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.plan.RecordPlanner.Accepted;
import io.stardust.ingest.plan.RecordPlanner.Planned;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import io.stardust.ingest.plan.RejectReason;
import io.stardust.ingest.source.SourceRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * Re-drives quarantined records through the gateway's own planning and write path, after an operator fixed the
 * cause (created the model, widened a type, ...). Per chunk, ONE transaction writes the records that now plan
 * cleanly and deletes their DLQ rows, and counts one more attempt on the rows that still fail (with the new
 * reason): a record lands exactly once, and a crash mid-replay leaves each row either landed-and-deleted or
 * still quarantined. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so concurrent replays never write the
 * same record twice. A dry run does all of it and rolls back.
 *
 * <p>If MySQL refuses a chunk's writes with a data error ({@link FailureKind#DATA}), the chunk is replayed again
 * one row per transaction, and the row MySQL refuses on its own fails again as {@code rejected_by_database}:
 * one bad row never keeps the others from landing. Rows whose DLQ copy is not the whole record (a part over the
 * store's cap, or a minimal row) cannot be replayed and fail again with their reason and a message saying so.
 *
 * <p>A replayed record is applied now, in DLQ id order: if newer records for the same key landed meanwhile, the
 * replayed value replaces them (last write wins). List with {@code ingest:dlq:list} first when that matters.
 */
public final class DlqReplayer {
    private static final int CHUNK = 200;

    private final DataSource ds;
    private final RecordPlanner planner;
    private final UtcClock clock;
    private final int maxRecordBytes;

    public DlqReplayer(DataSource ds, RecordPlanner planner, UtcClock clock, int maxRecordBytes) {
        this.ds = ds;
        this.planner = planner;
        this.clock = clock;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * @param matched     rows the filter selected
     * @param landed      rows written and removed from the DLQ (would be, in a dry run)
     * @param stillFailed rows that failed again (attempt counted, new reason stored)
     * @param overLimit   rows left alone because they reached the attempt limit
     */
    public record Report(int matched, int landed, int stillFailed, int overLimit, List<Long> landedIds,
                         List<Rejected> failures) {
    }

    /** Rows the filter selects, for counting and progress; nothing is locked. */
    public List<DlqRow> matching(DlqFilter filter) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return IngestDlqStore.select(c, filter, clock.now(), false);
        }
    }

    public Report replay(DlqFilter filter, int maxAttempts, boolean dryRun, IntConsumer progress) throws SQLException {
        List<DlqRow> candidates = matching(filter);
        List<Long> eligible = new ArrayList<>();
        int overLimit = 0;
        for (DlqRow r : candidates) {
            if (r.attemptCount() >= maxAttempts) {
                overLimit++;
            } else {
                eligible.add(r.id());
            }
        }
        progress.accept(overLimit);
        List<Long> landed = new ArrayList<>();
        List<Rejected> failures = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < eligible.size(); i += CHUNK) {
                    List<Long> chunk = eligible.subList(i, Math.min(eligible.size(), i + CHUNK));
                    if (attempt(c, chunk, maxAttempts, dryRun, null, landed, failures) != null) {
                        for (Long id : chunk) {
                            Throwable refusal = attempt(c, List.of(id), maxAttempts, dryRun, null, landed, failures);
                            if (refusal != null) {
                                attempt(c, List.of(id), maxAttempts, dryRun, refusal, landed, failures);
                            }
                        }
                    }
                    progress.accept(chunk.size());
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
        return new Report(candidates.size(), landed.size(), failures.size(), overLimit, landed, failures);
    }

    /**
     * One transaction over these rows (those still quarantined, under the attempt limit and not claimed by a
     * concurrent replay). With {@code refusedBy} set, every row fails again as {@code rejected_by_database}.
     *
     * @return null when committed (rolled back in a dry run); the data error when MySQL refused the writes
     *         (rolled back, nothing counted)
     */
    private Throwable attempt(Connection c, List<Long> ids, int maxAttempts, boolean dryRun, Throwable refusedBy,
                              List<Long> landed, List<Rejected> failures) throws SQLException {
        try {
            LocalDateTime now = clock.now();
            List<DlqRow> rows = IngestDlqStore.select(c, new DlqFilter(ids, null, null, null, maxAttempts, ids.size()), now, true);
            RecordPlanner.Session session = planner.session(c);
            List<KeyedWrites.Op> ops = new ArrayList<>();
            List<Long> ok = new ArrayList<>();
            List<Rejected> failed = new ArrayList<>();
            for (DlqRow row : rows) {
                SourceRecord source = new SourceRecord(row.topic(), row.partition(), row.offset(), row.recordKey(),
                        row.recordValue(), 0);
                Planned p = refusedBy != null
                        ? new Rejected(source, RejectReason.REJECTED_BY_DATABASE, String.valueOf(refusedBy.getMessage()), null)
                        : plan(session, row, source);
                if (p instanceof Accepted a) {
                    ops.add(a.op());
                    ok.add(row.id());
                } else {
                    Rejected r = (Rejected) p;
                    IngestDlqStore.failedAttempt(c, row.id(), r, now);
                    failed.add(r);
                }
            }
            KeyedWrites.apply(c, ops, now);
            IngestDlqStore.delete(c, ok);
            if (dryRun) {
                c.rollback();
            } else {
                c.commit();
            }
            landed.addAll(ok);
            failures.addAll(failed);
            return null;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            if (refusedBy == null && FailureKind.of(e) == FailureKind.DATA) {
                return e;
            }
            throw e;
        }
    }

    /** Plans the stored record, unless the DLQ does not hold all of it (or it is over the size limit). */
    private Planned plan(RecordPlanner.Session session, DlqRow row, SourceRecord source) throws SQLException {
        if (row.originalBytes() > maxRecordBytes) {
            return new Rejected(source, RejectReason.TOO_LARGE,
                    "record is " + row.originalBytes() + " bytes, the limit is " + maxRecordBytes, row.tenantId());
        }
        boolean tombstone = row.valueBytes() == null && row.recordValue() == null;
        if (!row.valueComplete() || (tombstone && !row.keyComplete())) {
            String part = tombstone ? "key" : "value";
            Integer original = tombstone ? row.keyBytes() : row.valueBytes();
            byte[] stored = tombstone ? row.recordKey() : row.recordValue();
            return new Rejected(source, reasonOf(row), "not replayable: the DLQ holds " + (stored == null ? 0 : stored.length)
                    + " of the record's " + original + " " + part + " bytes (sha256 " + (tombstone ? row.keySha256() : row.valueSha256())
                    + "); produce the record again, or discard this row", row.tenantId());
        }
        return session.plan(source);
    }

    private static RejectReason reasonOf(DlqRow row) {
        try {
            return RejectReason.parse(row.reason());
        } catch (IllegalArgumentException e) {
            return RejectReason.INTERNAL_ERROR;
        }
    }
}
