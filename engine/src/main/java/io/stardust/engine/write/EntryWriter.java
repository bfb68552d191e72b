package io.stardust.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryNotFoundException;
import io.stardust.EntryPayload;
import io.stardust.EntryWriteResult;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.engine.write.ModelRoutes.Route;
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
 * Single-entry writes, updates and soft deletes (spec §3.5–§3.7), and the batch core the bulk path and the Kafka
 * gateway share ({@link #writeAll}).
 *
 * <p>Crash behaviour: every operation is one MySQL transaction. A crash before commit leaves nothing (InnoDB rolls
 * the transaction back on recovery); a crash after commit leaves the entry, its slot rows and its queue row
 * together. Events are emitted only after commit, so a rolled-back write is never announced.
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
            planned[0] = EntryPlanner.plan(ModelRoutes.load(c, payload.tenantId(), payload.modelId()), payload.fields());
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
        List<PlannedEntry> planned = new ArrayList<>(payloads.size());
        for (EntryPayload p : payloads) {
            TenantIds.require(p.tenantId());
            ModelRoutes r = routes.get(p.tenantId() + "/" + p.modelId());
            if (r == null) {
                r = ModelRoutes.load(c, p.tenantId(), p.modelId());
                routes.put(p.tenantId() + "/" + p.modelId(), r);
            }
            planned.add(EntryPlanner.plan(r, p.fields()));
        }
        return planned;
    }

    public static List<Long> writeAll(Connection c, List<PlannedEntry> planned, LocalDateTime now) throws SQLException {
        return EntryStore.insert(c, planned, now);
    }

    /** Full replace of an entry's payload; slots of fields absent from the new payload are cleared. */
    public EntryWriteResult update(long tenantId, long entryId, ObjectNode fields) {
        TenantIds.require(tenantId);
        PlannedEntry[] planned = new PlannedEntry[1];
        int[] model = new int[1];
        Tx.inTransaction(ds, c -> {
            model[0] = lockLiveEntry(c, tenantId, entryId);
            ModelRoutes routes = ModelRoutes.load(c, tenantId, model[0]);
            PlannedEntry p = EntryPlanner.plan(routes, fields);
            for (Route r : routes.all()) {
                if (r.hasSlot() && !fields.has(r.name())) {
                    p.put(r.pageId(), r.table(), r.column(), null);
                }
            }
            planned[0] = p;
            LocalDateTime now = clock.now();
            Sql.update(c, "UPDATE entry_data SET fields = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                    Json.write(fields), now, entryId, tenantId);
            EntryStore.upsertSlots(c, List.of(p), List.of(entryId));
            if (p.needsBackfill()) {
                EntryStore.enqueue(c, List.of(entryId), now);
            }
            return null;
        });
        EntryWriteResult result = new EntryWriteResult(entryId, planned[0].needsBackfill(), planned[0].slotWrites());
        announce("entry_updated", tenantId, model[0], result);
        return result;
    }

    /** Soft delete; true iff this call moved the entry from live to deleted. Slot rows are left in place. */
    public boolean delete(long tenantId, long entryId) {
        TenantIds.require(tenantId);
        int changed = Tx.inTransaction(ds, c -> {
            LocalDateTime now = clock.now();
            return Sql.update(c, "UPDATE entry_data SET deleted_at = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                    now, now, entryId, tenantId);
        });
        if (changed == 1) {
            events.info("entry_deleted", "tenant_id", tenantId, "entry_id", entryId);
        }
        return changed == 1;
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
