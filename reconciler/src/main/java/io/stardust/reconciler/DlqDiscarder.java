package io.stardust.reconciler;

import io.stardust.DlqReplayNotFoundException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.UtcClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Deletes DLQ rows an operator gave up on ({@code reconciler:dlq:replay --discard}), without re-enqueuing their
 * entries: the entry stays in {@code entry_data} (its JSON is still the truth and reads return it), but the
 * filterable fields that failed to sync stay out of their slots until the entry is written again. One transaction
 * at READ COMMITTED with the rows locked {@code FOR UPDATE}, so a concurrent replay and a discard never both take
 * a row, and either every selected row goes or none does. No events (like replay): the command output is the record.
 */
public final class DlqDiscarder {
    private final DataSource ds;
    private final UtcClock clock;

    public DlqDiscarder(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /**
     * The selected rows, deleted unless {@code dryRun} (then nothing is locked or changed).
     *
     * @throws DlqReplayNotFoundException when nothing matches (nothing changed)
     */
    public List<DlqEntry> discard(DlqFilter filter, boolean dryRun) {
        try (Connection c = ds.getConnection()) {
            if (dryRun) {
                return requireAny(DlqRows.select(c, filter, clock.now(), false), filter);
            }
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            try {
                List<DlqEntry> rows = requireAny(DlqRows.select(c, filter, clock.now(), true), filter);
                DlqRows.delete(c, rows.stream().map(DlqEntry::id).toList());
                c.commit();
                return rows;
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

    private static List<DlqEntry> requireAny(List<DlqEntry> rows, DlqFilter filter) {
        if (rows.isEmpty()) {
            throw new DlqReplayNotFoundException("no DLQ row matches " + filter.describe());
        }
        return rows;
    }
}
