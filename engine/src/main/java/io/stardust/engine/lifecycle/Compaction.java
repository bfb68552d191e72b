package io.stardust.engine.lifecycle;

import io.stardust.CompactionCapacityException;
import io.stardust.CompactionPlan;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelNotFoundException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.slot.IndexedSlot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Operator-initiated model compaction: plans with {@link CompactionPlanner} from registry reads only, then relocates
 * one field after the other through the lifecycle initiator with the target page pinned (a pinned reservation that
 * misses throws {@link CompactionCapacityException} with nothing changed), waiting for each relocation's backfill to
 * complete before the next (a running Reconciler does the backfill; the wait polls the checkpoint every 200 ms, at
 * most 3000 times). A dry run, and a plan with nothing to move, change nothing and log nothing. Re-running is safe:
 * fields already on target pages stay.
 */
public final class Compaction {
    /** How the wait between two checkpoint polls is spent (a sleep in production). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws Exception;
    }

    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    static final int POLL_BUDGET = 3000;

    private final DataSource ds;
    private final FieldLifecycleInitiator initiator;
    private final Clock clock;
    private final Pause pause;
    private final EventLog events = new EventLog("registry");

    public Compaction(DataSource ds, FieldLifecycleInitiator initiator, Clock clock, Pause pause) {
        this.ds = ds;
        this.initiator = initiator;
        this.clock = clock;
        this.pause = pause;
    }

    public CompactionPlan compact(long tenantId, int modelId, boolean dryRun) {
        CompactionPlan plan = plan(tenantId, modelId);
        if (dryRun || plan.isNoop()) {
            return plan;
        }
        String correlationId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        events.info("compaction_planned", "correlation_id", correlationId, "tenant_id", tenantId, "model_id", modelId,
                "pages_before", plan.pagesBefore(), "target_pages", plan.targetPageIds(),
                "fields_to_relocate", plan.relocations().size(), "noop_count", plan.noopCount());
        for (CompactionPlan.Relocation r : plan.relocations()) {
            initiator.initiate(tenantId, r.fieldId(), null, null, r.toPageId());
            awaitBackfill(r);
        }
        events.info("compaction_complete", "correlation_id", correlationId, "tenant_id", tenantId, "model_id", modelId,
                "fields_relocated", plan.relocations().size(), "pages_before", plan.pagesBefore(),
                "pages_after", plan.pagesAfter(), "duration_seconds", Duration.between(started, clock.instant()).toSeconds());
        return plan;
    }

    private void awaitBackfill(CompactionPlan.Relocation r) {
        String job = RetypeJobs.jobName(r.fieldId());
        for (int poll = 0; poll < POLL_BUDGET; poll++) {
            String status = Tx.withConnection(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT status FROM backfill_checkpoints WHERE job_name = ?")) {
                    ps.setString(1, job);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
            if (status == null || "completed".equals(status)) {
                return;
            }
            if ("failed".equals(status)) {
                throw new CompactionCapacityException("relocating field '" + r.fieldName() + "' to page " + r.toPageId()
                        + " failed (checkpoint " + job + "); fields relocated before it stay where they are");
            }
            try {
                pause.pause(POLL_INTERVAL);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new CompactionCapacityException("interrupted while waiting for the relocation of field '"
                        + r.fieldName() + "'", e);
            }
        }
        throw new CompactionCapacityException("the relocation of field '" + r.fieldName() + "' did not complete within "
                + POLL_BUDGET + " polls; start a Reconciler (bin/stardust reconciler) and run the compaction again");
    }

    private CompactionPlan plan(long tenantId, int modelId) {
        return Tx.withConnection(ds, c -> {
            long deleted = Sql.queryLong(c, "SELECT deleted_at IS NOT NULL FROM stardust_models WHERE id = ? AND tenant_id = ?",
                    -1, modelId, tenantId);
            if (deleted < 0) {
                throw new ModelNotFoundException("model " + modelId + " does not exist for tenant " + tenantId);
            }
            if (deleted == 1) {
                throw new ModelDeletionInProgressException("model " + modelId + " is being deleted; it cannot be compacted");
            }
            List<CompactionPlanner.ModelSlot> slots = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.name, sa.slot_type, sa.page_id, sa.slot_column"
                    + " FROM stardust_slot_assignments sa JOIN stardust_fields f ON f.id = sa.field_id"
                    + " JOIN stardust_models m ON m.id = f.model_id WHERE m.tenant_id = ? AND f.model_id = ?"
                    + " AND sa.status IN ('assigned', 'ready') AND f.is_filterable = 1 ORDER BY sa.page_id, sa.id")) {
                ps.setLong(1, tenantId);
                ps.setInt(2, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        slots.add(new CompactionPlanner.ModelSlot(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getInt(4), rs.getString(5)));
                    }
                }
            }
            Map<Integer, Map<String, Integer>> free = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT sa.page_id, sa.slot_type, COUNT(*)"
                    + " FROM stardust_slot_assignments sa JOIN stardust_pages p ON p.id = sa.page_id"
                    + " WHERE sa.status = 'free' AND " + IndexedSlot.predicate("sa", "p") + " GROUP BY sa.page_id, sa.slot_type");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    free.computeIfAbsent(rs.getInt(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
                }
            }
            return CompactionPlanner.plan(tenantId, modelId, slots, free);
        });
    }
}
