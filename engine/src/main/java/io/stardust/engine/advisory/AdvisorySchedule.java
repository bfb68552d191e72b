package io.stardust.engine.advisory;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * The rows of {@code stardust_advisory_schedule}: one {@value #PERIODIC} row whose {@code next_due_at} is the fleet's
 * next periodic cardinality-and-spread sample, and one row per one-shot sample a promotion asked for
 * ({@code cardinality:<slot_assignment_id>}, {@code spread:<model_id>}). The Watcher claims a due row with a
 * conditional UPDATE, so exactly one process runs each sample.
 */
public final class AdvisorySchedule {
    public static final String PERIODIC = "periodic";
    public static final String CARDINALITY_PREFIX = "cardinality:";
    public static final String SPREAD_PREFIX = "spread:";

    private AdvisorySchedule() {
    }

    public static String cardinalityKind(long slotAssignmentId) {
        return CARDINALITY_PREFIX + slotAssignmentId;
    }

    public static String spreadKind(int modelId) {
        return SPREAD_PREFIX + modelId;
    }

    /**
     * Inside the transaction that marks a backfilled slot {@code ready}: a cardinality sample of the slot and a
     * spread sample of its model, due at once, so they exist exactly when the promotion committed. An existing row
     * (a second field of the model promoted before the first spread sample ran, or one being run right now) is
     * made due again and unclaimed, so the sample that runs sees this promotion too.
     */
    public static void requestPostPromotion(Connection c, long slotAssignmentId, int modelId, LocalDateTime now)
            throws SQLException {
        Sql.update(c, "INSERT INTO stardust_advisory_schedule (sample_kind, next_due_at, updated_at) VALUES (?, ?, ?),"
                        + " (?, ?, ?) ON DUPLICATE KEY UPDATE next_due_at = VALUES(next_due_at), claimed_by = NULL,"
                        + " updated_at = VALUES(updated_at)",
                cardinalityKind(slotAssignmentId), now, now, spreadKind(modelId), now, now);
    }
}
