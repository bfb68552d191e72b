package io.stardust.ingest.dlq;

import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * Deletes quarantined records an operator decided to give up on. Per chunk one transaction claims the rows
 * ({@code FOR UPDATE SKIP LOCKED}, so a concurrent replay and a discard never both take a row) and deletes them;
 * after the commit every discarded row is logged as a {@code dlq_row_discarded} event with its origin, reason and
 * the original key and value lengths and hashes, which is all that remains of the record here.
 */
public final class DlqDiscarder {
    private static final int CHUNK = 200;

    private final DataSource ds;
    private final UtcClock clock;
    private final EventLog events = new EventLog("gateway");

    public DlqDiscarder(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** The rows the filter selects; with {@code dryRun} nothing is deleted or logged. Returns the rows discarded (would be). */
    public List<DlqRow> discard(DlqFilter filter, boolean dryRun, IntConsumer progress) throws SQLException {
        List<DlqRow> discarded = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            List<DlqRow> candidates = IngestDlqStore.select(c, filter, clock.now(), false);
            if (dryRun) {
                progress.accept(candidates.size());
                return candidates;
            }
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < candidates.size(); i += CHUNK) {
                    List<Long> ids = new ArrayList<>();
                    for (DlqRow r : candidates.subList(i, Math.min(candidates.size(), i + CHUNK))) {
                        ids.add(r.id());
                    }
                    List<DlqRow> claimed = IngestDlqStore.select(c, new DlqFilter(ids, null, null, null, null, ids.size()),
                            clock.now(), true);
                    IngestDlqStore.delete(c, claimed.stream().map(DlqRow::id).toList());
                    c.commit();
                    claimed.forEach(this::logDiscarded);
                    discarded.addAll(claimed);
                    progress.accept(ids.size());
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return discarded;
    }

    private void logDiscarded(DlqRow r) {
        events.warning("dlq_row_discarded", "dlq_id", r.id(), "reason", r.reason(), "topic", r.topic(), "partition", r.partition(),
                "offset", r.offset(), "tenant_id", r.tenantId(), "attempt_count", r.attemptCount(),
                "key_bytes", r.originalKeyBytes(), "key_sha256", r.originalKeySha256(),
                "value_bytes", r.originalValueBytes(), "value_sha256", r.originalValueSha256());
    }
}
