package io.stardust.reconciler;

import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.db.Sql;
import io.stardust.engine.event.EventLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Drains {@code stardust_sync_queue}, one chunk per tick, in one transaction:
 * <ol>
 *   <li>claim up to {@code reconcilerChunkSize} rows in id order with {@code FOR UPDATE SKIP LOCKED}, so concurrent
 *       workers always claim disjoint rows; log {@code chunk_claimed};</li>
 *   <li>backfill each entry ({@link BackfillExecutor}); a poison row goes to the DLQ ({@code missing_entry_data},
 *       {@code schema_incompatibility} or {@code other}) and counts as processed;</li>
 *   <li>an entry with a filterable field that still has no live slot stalls the chunk: everything is rolled back
 *       (the rows stay claimable), then a slot is reserved for each such field; if one was reserved the next tick
 *       drains, otherwise {@code capacity_wait} and the poll loop waits {@code reconcilerCapacityWaitMillis};</li>
 *   <li>otherwise the processed rows are deleted in the same transaction as their slot values and DLQ rows, so a
 *       row is reconciled exactly once whatever the number of workers, and a crash before commit leaves it
 *       queued.</li>
 * </ol>
 * Events are logged after commit ({@code chunk_complete}, or {@code chunk_partial} when a row went to the DLQ, and
 * one {@code dlq_inserted} per DLQ row), except {@code chunk_claimed}, logged at claim time as upstream.
 *
 * <p>Divergence: a deadlock or lock-wait timeout inside the chunk (two workers holding rows of the same entries in
 * opposite orders) rolls the chunk back and logs {@code deadlock_retry}; the rows are claimed again next tick.
 * Upstream let the error end the process.
 */
public final class SyncQueueSource implements WorkSource {
    private final DataSource ds;
    private final ReconcilerConfig config;
    private final BackfillExecutor executor;
    private final DlqWriter dlq;
    private final UnmappedFieldReserver reserver;
    private final EventLog events;

    public SyncQueueSource(DataSource ds, ReconcilerConfig config, BackfillExecutor executor, DlqWriter dlq,
                           UnmappedFieldReserver reserver, EventLog events) {
        this.ds = ds;
        this.config = config;
        this.executor = executor;
        this.dlq = dlq;
        this.reserver = reserver;
        this.events = events;
    }

    private record QueueRow(long id, long entryId, int dlqReplays) {
    }

    /** How a chunk transaction ended. */
    private sealed interface ChunkEnd {
    }

    private record Idle() implements ChunkEnd {
    }

    private record Stalled(int rowsClaimed, long entryId, List<String> unmapped) implements ChunkEnd {
    }

    private record Done(int rowsClaimed, int processed, int skippedDeleted, List<DlqWriter.Inserted> dlqRows)
            implements ChunkEnd {
    }

    @Override
    public TickOutcome tickOne(String chunkCorrelationId) throws SQLException {
        ChunkEnd end;
        try (Connection c = ds.getConnection()) {
            end = runChunk(c, chunkCorrelationId);
        } catch (SQLException | RuntimeException e) {
            if (!retryable(e)) {
                throw e;
            }
            SQLException sql = Sql.sqlCause(e);
            events.warning("deadlock_retry", "correlation_id", chunkCorrelationId, "queue", "sync_queue",
                    "error_code", sql.getErrorCode(), "sql_state", sql.getSQLState());
            return TickOutcome.WORK_DONE;
        }
        if (end instanceof Idle) {
            return TickOutcome.IDLE;
        }
        if (end instanceof Stalled s) {
            if (reserver.reserve(s.entryId(), s.unmapped()) > 0) {
                return TickOutcome.WORK_DONE; // the next tick re-claims the chunk and drains it
            }
            events.info("capacity_wait", "correlation_id", chunkCorrelationId, "queue", "sync_queue",
                    "rows_claimed", s.rowsClaimed(), "entry_id", s.entryId(), "unmapped_fields", s.unmapped());
            return TickOutcome.CAPACITY_WAIT;
        }
        Done d = (Done) end;
        d.dlqRows().forEach(dlq::announce);
        Object[] fields = {"correlation_id", chunkCorrelationId, "queue", "sync_queue",
                "rows_claimed", d.rowsClaimed(), "rows_processed", d.processed(), "rows_dlq", d.dlqRows().size(),
                "rows_skipped_deleted", d.skippedDeleted()};
        if (d.dlqRows().isEmpty()) {
            events.info("chunk_complete", fields);
        } else {
            events.warning("chunk_partial", fields);
        }
        return TickOutcome.WORK_DONE;
    }

    private static boolean retryable(Exception e) {
        return DbErrorKind.CONFLICT.matches(e);
    }

    private ChunkEnd runChunk(Connection c, String chunkId) throws SQLException {
        int isolation = c.getTransactionIsolation();
        // READ COMMITTED: the claim, the upserts and the deletes lock the rows they touch and no gaps, so two
        // workers on disjoint rows never wait for each other (REPEATABLE READ gap locks made them deadlock)
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        c.setAutoCommit(false);
        boolean committed = false;
        try {
            List<QueueRow> rows = claim(c);
            if (rows.isEmpty()) {
                c.commit();
                committed = true;
                return new Idle();
            }
            events.info("chunk_claimed", "correlation_id", chunkId, "queue", "sync_queue", "rows_claimed", rows.size());
            BackfillExecutor.RouteCache routes = new BackfillExecutor.RouteCache();
            List<Long> done = new ArrayList<>();
            List<DlqWriter.Inserted> dlqRows = new ArrayList<>();
            int processed = 0;
            int skipped = 0;
            for (QueueRow row : rows) {
                Savepoint beforeRow = c.setSavepoint();
                try {
                    BackfillExecutor.Result r = executor.backfill(c, row.entryId(), routes);
                    if (!r.stillUnmapped().isEmpty()) {
                        c.rollback();
                        return new Stalled(rows.size(), row.entryId(), r.stillUnmapped());
                    }
                    if (r.skippedDeleted()) {
                        skipped++;
                    } else {
                        processed++;
                    }
                } catch (SQLException e) {
                    throw e; // the database, not the row: roll the whole chunk back
                } catch (RuntimeException e) {
                    if (Sql.sqlCause(e) != null) {
                        throw e;
                    }
                    c.rollback(beforeRow); // nothing of the poison row survives, only its DLQ row
                    dlqRows.add(dlq.insert(c, chunkId, row.entryId(), DlqReason.of(e), message(e), row.dlqReplays()));
                }
                c.releaseSavepoint(beforeRow);
                done.add(row.id());
            }
            delete(c, done);
            c.commit();
            committed = true;
            return new Done(rows.size(), processed, skipped, dlqRows);
        } finally {
            if (!committed) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is going back to the pool, which resets it
                }
            }
            c.setAutoCommit(true);
            c.setTransactionIsolation(isolation);
        }
    }

    private List<QueueRow> claim(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, entry_id, dlq_replays FROM stardust_sync_queue"
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, config.chunkSize());
            List<QueueRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new QueueRow(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
                }
            }
            return rows;
        }
    }

    /**
     * One primary-key DELETE per row, batched: an {@code IN (...)} list can be planned as a table scan (a freshly
     * filled queue has stale statistics), and a scan would lock rows other workers hold.
     */
    private static void delete(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stardust_sync_queue WHERE id = ?")) {
            for (Long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}
