package io.stardust.reconciler;

import io.stardust.DlqReplayNotFoundException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.UtcClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Operator replay of DLQ rows (plus a loop guard): in <em>one</em> transaction, every selected row
 * whose entry still exists is put back on {@code stardust_sync_queue} and the DLQ row is deleted; bulk-import rows
 * (no entry id) are only deleted. Either all of it commits or none of it.
 *
 * <p>Loop guard (not in upstream): a DLQ row carries in {@code retry_count} how often its entry was already
 * replayed (the re-enqueued queue row carries {@code dlq_replays = retry_count + 1}, and the Reconciler copies it
 * into the next DLQ row if the entry fails again). A row whose count reached {@code reconcilerDlqMaxAttempts} is
 * <em>held back</em>: left in the DLQ, reported, never re-enqueued — so a scheduled {@code --reason=…} replay can
 * not cycle a poison entry forever.
 *
 * <p>The transaction runs at READ COMMITTED so a replay by reason locks only the matching rows, not the gaps of
 * the whole table, and Reconcilers can keep quarantining rows meanwhile. No events are logged (upstream); the CLI
 * prints the outcome.
 */
public final class DlqReplayer {
    private static final int BATCH = 500;

    /** What replay does with one row. */
    public enum Action {
        /** Re-enqueue the entry and delete the DLQ row. */
        REPLAY,
        /** A bulk-import row without an entry id: delete it, nothing to enqueue. */
        REMOVE_ONLY,
        /** Past the attempt limit: leave it in the DLQ and report it. */
        HELD_BACK
    }

    /** A selected row and what replay does (or would do) with it. */
    public record Planned(DlqEntry row, Action action) {
    }

    /**
     * The outcome of a replay.
     *
     * @param consumedDlqIds    DLQ rows deleted (re-enqueued or removed)
     * @param reenqueuedEntries entry ids put back on the sync queue, in DLQ id order
     * @param heldBack          rows left in the DLQ by the loop guard
     */
    public record Result(List<Long> consumedDlqIds, List<Long> reenqueuedEntries, List<DlqEntry> heldBack) {
        public int count() {
            return consumedDlqIds.size();
        }
    }

    /** Told about progress after each batch of a replay: rows handled so far, of {@code total}. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void advanced(int done, int total);
    }

    private final DataSource ds;
    private final UtcClock clock;
    private final int maxAttempts;

    public DlqReplayer(DataSource ds, UtcClock clock, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.ds = ds;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * What {@link #replay} would do now, without locking or changing anything ({@code --dry-run}).
     *
     * @throws DlqReplayNotFoundException when nothing matches
     */
    public List<Planned> plan(DlqFilter filter) {
        try (Connection c = ds.getConnection()) {
            return classify(DlqRows.select(c, filter, clock.now(), false), filter);
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    /**
     * Replays the selected rows in one transaction.
     *
     * @throws DlqReplayNotFoundException when nothing matches (nothing changed)
     */
    public Result replay(DlqFilter filter, Progress progress) {
        try (Connection c = ds.getConnection()) {
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            try {
                List<Planned> plan = classify(DlqRows.select(c, filter, clock.now(), true), filter);
                Result result = apply(c, plan, progress);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    private List<Planned> classify(List<DlqEntry> rows, DlqFilter filter) {
        if (rows.isEmpty()) {
            throw new DlqReplayNotFoundException("no DLQ row matches " + filter.describe());
        }
        List<Planned> out = new ArrayList<>(rows.size());
        for (DlqEntry row : rows) {
            Action action = row.retryCount() >= maxAttempts ? Action.HELD_BACK
                    : row.entryId() == null ? Action.REMOVE_ONLY : Action.REPLAY;
            out.add(new Planned(row, action));
        }
        return out;
    }

    private Result apply(Connection c, List<Planned> plan, Progress progress) throws SQLException {
        List<Long> consumed = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        List<DlqEntry> heldBack = new ArrayList<>();
        LocalDateTime now = clock.now();
        int done = 0;
        for (int from = 0; from < plan.size(); from += BATCH) {
            List<Planned> batch = plan.subList(from, Math.min(plan.size(), from + BATCH));
            List<Planned> requeue = new ArrayList<>();
            List<Long> delete = new ArrayList<>();
            for (Planned p : batch) {
                switch (p.action()) {
                    case HELD_BACK -> heldBack.add(p.row());
                    case REMOVE_ONLY -> delete.add(p.row().id());
                    case REPLAY -> {
                        requeue.add(p);
                        delete.add(p.row().id());
                        entries.add(p.row().entryId());
                    }
                }
            }
            enqueue(c, requeue, now);
            DlqRows.delete(c, delete);
            consumed.addAll(delete);
            done += batch.size();
            progress.advanced(done, plan.size());
        }
        return new Result(List.copyOf(consumed), List.copyOf(entries), List.copyOf(heldBack));
    }

    private static void enqueue(Connection c, List<Planned> rows, LocalDateTime now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO stardust_sync_queue (entry_id, created_at, dlq_replays) VALUES ");
        List<Object> binds = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
            binds.add(rows.get(i).row().entryId());
            binds.add(now);
            binds.add(rows.get(i).row().retryCount() + 1);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, binds);
            ps.executeUpdate();
        }
    }
}
