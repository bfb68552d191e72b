package io.stardust.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryNotFoundException;
import io.stardust.EntryPayload;
import io.stardust.EntryWriteResult;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.PayloadCanonicaliser;
import io.stardust.engine.json.Json;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Single-entry writes, updates and soft deletes, and the batch core the bulk path and the Kafka
 * gateway share ({@link #writeAll}).
 *
 * <p>Crash behaviour: every operation is one MySQL transaction. A crash before commit leaves nothing (InnoDB rolls
 * the transaction back on recovery); a crash after commit leaves the entry, its slot rows, its queue row and its
 * outbox event together. Log events are emitted only after commit, so a rolled-back write is never announced.
 */
public final class EntryWriter {
    private final DataSource ds;
    private final UtcClock clock;
    private final EventLog events = new EventLog("api");

    public EntryWriter(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public EntryWriteResult write(EntryPayload payload) {
        TenantIds.require(payload.tenantId());
        PlannedEntry[] planned = new PlannedEntry[1];
        long id = Tx.inTransaction(ds, c -> {
            ModelRoutes routes = ModelRoutes.load(c, payload.tenantId(), payload.modelId());
            planned[0] = EntryPlanner.plan(routes, PayloadCanonicaliser.apply(c, payload.modelId(), payload.fields()));
            return EntryStore.insert(c, List.of(planned[0]), clock.now()).get(0);
        });
        EntryWriteResult result = new EntryWriteResult(id, planned[0].needsBackfill(), planned[0].slotWrites());
        announce("entry_written", payload.tenantId(), payload.modelId(), result);
        return result;
    }

    /**
     * Plans and inserts many entries inside the caller's transaction; nothing is committed here. Models are
     * loaded once per (tenant, model) for the whole batch.
     */
    public static List<PlannedEntry> planAll(Connection c, List<EntryPayload> payloads) throws SQLException {
        Map<String, ModelRoutes> routes = new HashMap<>();
        Map<Integer, PayloadCanonicaliser.Lifecycle> lifecycles = new HashMap<>(); // one query per model, not per entry
        List<PlannedEntry> planned = new ArrayList<>(payloads.size());
        for (EntryPayload p : payloads) {
            TenantIds.require(p.tenantId());
            ModelRoutes r = routes.get(p.tenantId() + "/" + p.modelId());
            if (r == null) {
                r = ModelRoutes.load(c, p.tenantId(), p.modelId());
                routes.put(p.tenantId() + "/" + p.modelId(), r);
            }
            PayloadCanonicaliser.Lifecycle lifecycle = lifecycles.get(p.modelId());
            if (lifecycle == null) {
                lifecycle = PayloadCanonicaliser.load(c, p.modelId());
                lifecycles.put(p.modelId(), lifecycle);
            }
            planned.add(EntryPlanner.plan(r, lifecycle.apply(p.fields())));
        }
        return planned;
    }

    public static List<Long> writeAll(Connection c, List<PlannedEntry> planned, LocalDateTime now) throws SQLException {
        return EntryStore.insert(c, planned, now);
    }

    /** Full replace of an entry's payload; slots of fields absent from the new payload are cleared. */
    public EntryWriteResult update(long tenantId, long entryId, ObjectNode requested) {
        TenantIds.require(tenantId);
        PlannedEntry[] planned = new PlannedEntry[1];
        int[] model = new int[1];
        Tx.inTransaction(ds, c -> {
            model[0] = lockLiveEntry(c, tenantId, entryId);
            ModelRoutes routes = ModelRoutes.load(c, tenantId, model[0]);
            ObjectNode fields = PayloadCanonicaliser.apply(c, model[0], requested);
            PlannedEntry p = EntryPlanner.planReplace(routes, fields);
            planned[0] = p;
            LocalDateTime now = clock.now();
            Sql.update(c, "UPDATE entry_data SET fields = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                    Json.write(fields), now, entryId, tenantId);
            EntryStore.upsertSlots(c, List.of(p), List.of(entryId));
            if (p.needsBackfill()) {
                EntryStore.enqueue(c, List.of(entryId), now);
            }
            OutboxStore.record(c, List.of(new OutboxStore.Change(OutboxEvent.UPDATED, tenantId, model[0], entryId,
                    keyOf(c, entryId))), now);
            return null;
        });
        EntryWriteResult result = new EntryWriteResult(entryId, planned[0].needsBackfill(), planned[0].slotWrites());
        announce("entry_updated", tenantId, model[0], result);
        return result;
    }

    /**
     * Inserts the entry mapped by (tenant, model, key), or fully replaces its payload if it exists and is live
     * (update semantics). Emits {@code entry_written} or {@code entry_updated} after commit.
     */
    public EntryWriteResult upsertByKey(long tenantId, int modelId, String key, ObjectNode fields) {
        TenantIds.require(tenantId);
        KeyedWrites.requireKey(key);
        KeyedWrites.Outcome outcome = Tx.inTransaction(ds, c -> {
            KeyedWrites.Op op = KeyedWrites.upsert(ModelRoutes.load(c, tenantId, modelId), key,
                    PayloadCanonicaliser.apply(c, modelId, fields));
            return KeyedWrites.apply(c, List.of(op), clock.now()).get(0);
        });
        return announce(outcome, tenantId, modelId);
    }

    /** Soft-deletes the entry mapped by (tenant, model, key); false when there is none or it is already deleted. */
    public boolean deleteByKey(long tenantId, int modelId, String key) {
        TenantIds.require(tenantId);
        KeyedWrites.requireKey(key);
        KeyedWrites.Outcome outcome = Tx.inTransaction(ds, c -> {
            ModelRoutes.load(c, tenantId, modelId); // model must belong to the tenant (Q9 fix)
            return KeyedWrites.apply(c, List.of(KeyedWrites.delete(tenantId, modelId, key)), clock.now()).get(0);
        });
        announce(outcome, tenantId, modelId);
        return OutboxEvent.DELETED.equals(outcome.type());
    }

    /** Emits the API event of a keyed write after its commit and returns its result. */
    public EntryWriteResult announce(KeyedWrites.Outcome outcome, long tenantId, int modelId) {
        switch (outcome.type()) {
            case OutboxEvent.DELETED -> events.info("entry_deleted", "tenant_id", tenantId, "entry_id", outcome.entryId());
            case OutboxEvent.CREATED, OutboxEvent.UPDATED -> {
                EntryWriteResult r = new EntryWriteResult(outcome.entryId(), outcome.enqueued(), List.of());
                events.info(OutboxEvent.CREATED.equals(outcome.type()) ? "entry_written" : "entry_updated", "tenant_id", tenantId,
                        "entry_id", outcome.entryId(), "model_id", modelId, "slots_written", outcome.slotsWritten(),
                        "enqueued", outcome.enqueued());
                if (outcome.enqueued()) {
                    events.info("exhaustion_fallback", "tenant_id", tenantId, "entry_id", outcome.entryId(), "model_id", modelId);
                }
                return r;
            }
            default -> {
                // a delete that found nothing: no change, no event
            }
        }
        return new EntryWriteResult(outcome.entryId(), false, List.of());
    }

    /** Soft delete; true iff this call moved the entry from live to deleted. Slot rows are left in place. */
    public boolean delete(long tenantId, long entryId) {
        TenantIds.require(tenantId);
        int changed = Tx.inTransaction(ds, c -> {
            // Locked first: the outbox event needs the model, and the row lock orders this delete after any
            // concurrent update of the entry, so their events are published in commit order.
            // an entry of a model being deleted is already gone for readers: nothing to delete
            int modelId = (int) Sql.queryLong(c, "SELECT model_id FROM entry_data WHERE id = ? AND tenant_id = ?"
                    + " AND deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM stardust_models m WHERE m.id = entry_data.model_id"
                    + " AND m.deleted_at IS NOT NULL) FOR UPDATE", -1, entryId, tenantId);
            if (modelId < 0) {
                return 0;
            }
            LocalDateTime now = clock.now();
            int n = Sql.update(c, "UPDATE entry_data SET deleted_at = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                    now, now, entryId, tenantId);
            OutboxStore.record(c, List.of(new OutboxStore.Change(OutboxEvent.DELETED, tenantId, modelId, entryId,
                    keyOf(c, entryId))), now);
            return n;
        });
        if (changed == 1) {
            events.info("entry_deleted", "tenant_id", tenantId, "entry_id", entryId);
        }
        return changed == 1;
    }

    /** The entry's external key, if it has one (the key row of its most recent mapping). */
    static String keyOf(Connection c, long entryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT entry_key FROM stardust_entry_keys WHERE entry_id = ? LIMIT 1")) {
            ps.setLong(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static int lockLiveEntry(Connection c, long tenantId, long entryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT model_id FROM entry_data WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL FOR UPDATE")) {
            ps.setLong(1, entryId);
            ps.setLong(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new EntryNotFoundException("entry " + entryId + " not found for tenant " + tenantId);
                }
                return rs.getInt(1);
            }
        }
    }

    private void announce(String event, long tenantId, int modelId, EntryWriteResult r) {
        events.info(event, "tenant_id", tenantId, "entry_id", r.entryId(), "model_id", modelId,
                "slots_written", r.slotsWritten().size(), "enqueued", r.enqueuedForBackfill());
        if (r.enqueuedForBackfill()) {
            events.info("exhaustion_fallback", "tenant_id", tenantId, "entry_id", r.entryId(), "model_id", modelId);
        }
    }
}
