package io.stardust.gateway.dlq;

import io.stardust.engine.db.UtcClock;
import io.stardust.engine.write.KeyedWrites;
import io.stardust.gateway.ingest.RecordPlanner;
import io.stardust.gateway.ingest.RecordPlanner.Accepted;
import io.stardust.gateway.ingest.RecordPlanner.Planned;
import io.stardust.gateway.ingest.RecordPlanner.Rejected;
import io.stardust.gateway.ingest.SourceRecord;
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
 * <p>A replayed record is applied now, in DLQ id order: if newer records for the same key landed meanwhile, the
 * replayed value replaces them (last write wins). List with {@code ingest:dlq:list} first when that matters.
 */
public final class DlqReplayer {
    private static final int CHUNK = 200;

    private final DataSource ds;
    private final RecordPlanner planner;
    private final UtcClock clock;

    public DlqReplayer(DataSource ds, RecordPlanner planner, UtcClock clock) {
        this.ds = ds;
        this.planner = planner;
        this.clock = clock;
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
        for (int i = 0; i < eligible.size(); i += CHUNK) {
            List<Long> chunk = eligible.subList(i, Math.min(eligible.size(), i + CHUNK));
            replayChunk(chunk, maxAttempts, dryRun, landed, failures);
            progress.accept(chunk.size());
        }
        return new Report(candidates.size(), landed.size(), failures.size(), overLimit, landed, failures);
    }

    private void replayChunk(List<Long> ids, int maxAttempts, boolean dryRun, List<Long> landed, List<Rejected> failures)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                LocalDateTime now = clock.now();
                List<DlqRow> rows = IngestDlqStore.select(c, new DlqFilter(ids, null, null, null, maxAttempts, ids.size()), now, true);
                RecordPlanner.Session session = planner.session(c);
                List<KeyedWrites.Op> ops = new ArrayList<>();
                List<Long> ok = new ArrayList<>();
                List<Rejected> failed = new ArrayList<>();
                for (DlqRow row : rows) {
                    Planned p = session.plan(new SourceRecord(row.topic(), row.partition(), row.offset(), row.recordKey(),
                            row.recordValue(), 0));
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
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
