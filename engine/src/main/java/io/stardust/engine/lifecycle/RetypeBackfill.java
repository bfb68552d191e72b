package io.stardust.engine.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.SlotAssignment;
import io.stardust.SlotStatus;
import io.stardust.engine.advisory.AdvisorySchedule;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.engine.schema.SchemaVersion;
import io.stardust.engine.slot.PageLayout;
import io.stardust.engine.slot.SlotReserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The retype/promotion/relocation backfill, one chunk per call, each chunk one transaction that moves its
 * checkpoint together with the slot values it wrote: a crash anywhere leaves either the whole chunk and its new
 * cursor or neither, so any driver resumes exactly where the last commit left off (re-writing a value is harmless).
 *
 * <p>A chunk: claim the running {@code retype_field_*} checkpoint that waited longest ({@code ORDER BY updated_at,
 * id}, {@code FOR UPDATE SKIP LOCKED}, so concurrent workers take different fields); re-read the field and its
 * model's tenant now (never trust what the checkpoint was created with); find the field's {@code backfilling} or
 * {@code ready} slot, adopt an {@code assigned} one the exhaustion path gave it meanwhile (Q25: flipped to
 * {@code backfilling} instead of reserving a second live slot), or reserve one (a deferred assignment); then read the
 * next {@code chunkSize} live entries of the model after the cursor ({@code FOR SHARE}, so a concurrent update of an
 * entry is never overwritten by its older payload; soft-deleted entries are skipped, Q15), coerce each value with
 * the {@link CoercionMatrix} from the checkpoint's source type to the field's type, and upsert the slot column. A
 * chunk shorter than {@code chunkSize} is the last: the checkpoint becomes {@code completed}, the slot
 * {@code ready} (filters on the field work from then on), the schema version is bumped and a one-shot cardinality
 * sample of the slot and spread sample of the model are put in {@code stardust_advisory_schedule} for the Watcher.
 *
 * <p>A checkpoint with no free indexed slot for its target is skipped and moved to the back of the claim order; the
 * next candidate is tried (Q17). A checkpoint that cannot proceed for any other reason than a lock conflict or a
 * lost database (the field was removed, the page is gone, ...) is marked {@code failed} with the reason in
 * {@code last_error} and the driver carries on (Q16).
 *
 * <p>Logs {@code slot_reserved} and {@code promote_to_ready} (source {@code registry}) after commit; the per-chunk
 * events ({@code chunk_claimed}, {@code coercion_null}, {@code chunk_complete}) are the driver's, from the result.
 */
public final class RetypeBackfill {
    /** Candidates tried per call before answering {@code CapacityWait}. */
    private static final int MAX_CANDIDATES = 16;

    private final DataSource ds;
    private final UtcClock clock;
    private final SlotReserver reserver;
    private final CheckpointLease lease;
    private final EventLog events = new EventLog("registry");

    /** A driver whose checkpoint claims are leased to this process alone (tests, tools). */
    public RetypeBackfill(DataSource ds, UtcClock clock, SlotReserver reserver) {
        this(ds, clock, reserver, CheckpointLease.ofThisProcess());
    }

    public RetypeBackfill(DataSource ds, UtcClock clock, SlotReserver reserver, CheckpointLease lease) {
        this.ds = ds;
        this.clock = clock;
        this.reserver = reserver;
        this.lease = lease;
    }

    /** One chunk of whichever claimable retype checkpoint waited longest. */
    public RetypeChunk runChunk(int chunkSize) throws SQLException {
        return runChunk(chunkSize, null);
    }

    /** One chunk of checkpoint {@code checkpointId} only ({@code null}: any), if its lease is free or ours. */
    public RetypeChunk runChunk(int chunkSize, Long checkpointId) throws SQLException {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
        List<RetypeChunk.Waiting> waiting = new ArrayList<>();
        Set<Long> tried = new HashSet<>();
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            RetypeChunk r = attempt(chunkSize, tried, checkpointId);
            if (r instanceof RetypeChunk.CapacityWait w) {
                waiting.addAll(w.waiting());
                w.waiting().forEach(x -> tried.add(x.checkpointId()));
                continue;
            }
            if (r instanceof RetypeChunk.Idle && !waiting.isEmpty()) {
                return new RetypeChunk.CapacityWait(waiting);
            }
            return r;
        }
        return new RetypeChunk.CapacityWait(waiting);
    }

    private record Claimed(long checkpointId, long fieldId, long cursor, String sourceType) {
    }

    private record Field(String name, DeclaredType type, boolean filterable, int modelId, long tenantId) {
    }

    private record Slot(long id, SlotStatus status, int pageId, String column, String table) {
    }

    private RetypeChunk attempt(int chunkSize, Set<Long> exclude, Long onlyId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            int isolation = c.getTransactionIsolation();
            // READ COMMITTED: the claim and the FOR SHARE chunk read lock the rows they return, not the gaps, so
            // workers on other fields and writers of new entries never wait for this chunk
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            Claimed claimed = null;
            try {
                claimed = claim(c, exclude, onlyId, lease, clock.now());
                if (claimed == null) {
                    c.commit();
                    return new RetypeChunk.Idle();
                }
                RetypeChunk result = process(c, claimed, chunkSize);
                c.commit();
                announce(result);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                if (claimed == null || LifecycleErrors.isRetryableOrOutage(e)) {
                    throw e;
                }
                c.setAutoCommit(true);
                Sql.update(c, "UPDATE backfill_checkpoints SET status = 'failed', last_error = ?, updated_at = ?,"
                        + " completed_at = ? WHERE id = ? AND status = 'running'", LifecycleErrors.reason(e), clock.now(),
                        clock.now(), claimed.checkpointId());
                return new RetypeChunk.Failed(claimed.checkpointId(), claimed.fieldId(), LifecycleErrors.reason(e));
            } finally {
                c.setAutoCommit(true);
                c.setTransactionIsolation(isolation);
            }
        }
    }

    private RetypeChunk process(Connection c, Claimed cp, int chunkSize) throws SQLException {
        LocalDateTime now = clock.now();
        Field field = field(c, cp.fieldId());
        if (field == null) {
            String reason = "field " + cp.fieldId() + " no longer exists";
            fail(c, cp.checkpointId(), reason, now);
            return new RetypeChunk.Failed(cp.checkpointId(), cp.fieldId(), reason);
        }
        SlotAssignment reservedNow = null;
        Slot slot = liveSlot(c, cp.fieldId());
        if (slot != null && slot.status() == SlotStatus.ASSIGNED) {
            // Q25: the exhaustion path gave the deferred field an assigned slot meanwhile; backfill that one
            Sql.update(c, "UPDATE stardust_slot_assignments SET status = 'backfilling', updated_at = ? WHERE id = ?",
                    now, slot.id());
        }
        if (slot == null) {
            Optional<SlotAssignment> r = reserver.reserveForBackfillWithinTransaction(c, cp.fieldId(), field.filterable());
            if (r.isEmpty()) {
                // Q17: to the back of the claim order, so the next candidate gets its turn
                Sql.update(c, "UPDATE backfill_checkpoints SET updated_at = ? WHERE id = ?", now, cp.checkpointId());
                return new RetypeChunk.CapacityWait(List.of(new RetypeChunk.Waiting(cp.checkpointId(), cp.fieldId(),
                        field.tenantId(), field.type().family())));
            }
            reservedNow = r.get();
            slot = liveSlot(c, cp.fieldId());
        }
        DeclaredType source = cp.sourceType() == null ? field.type() : DeclaredType.parse(cp.sourceType());
        String table = PageLayout.requirePageTable(slot.table());
        String column = PageLayout.requireColumn(slot.column());

        List<long[]> ids = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<RetypeChunk.CoercionNull> nulls = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, fields FROM entry_data WHERE tenant_id = ?"
                + " AND model_id = ? AND id > ? AND deleted_at IS NULL ORDER BY id LIMIT ? FOR SHARE")) {
            ps.setLong(1, field.tenantId());
            ps.setInt(2, field.modelId());
            ps.setLong(3, cp.cursor());
            ps.setInt(4, chunkSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    CoercionMatrix.Outcome out = CoercionMatrix.coerce(source, field.type(), rawValue(rs.getString(2), field.name()));
                    if (out instanceof CoercionMatrix.NullCoerced n) {
                        nulls.add(new RetypeChunk.CoercionNull(id, n.reason()));
                    }
                    ids.add(new long[] {id});
                    values.add(out.slotValue());
                }
            }
        }
        upsert(c, table, column, field.tenantId(), ids, values);
        long cursor = ids.isEmpty() ? cp.cursor() : ids.get(ids.size() - 1)[0];
        boolean last = ids.size() < chunkSize;
        if (last) {
            Sql.update(c, "UPDATE backfill_checkpoints SET status = 'completed', last_processed_id = ?, updated_at = ?,"
                            + " completed_at = ?, rows_processed = rows_processed + ?, coercion_nulls = coercion_nulls + ?"
                            + ", claimed_by = NULL, lease_until = NULL WHERE id = ?", cursor, now, now, ids.size(), nulls.size(),
                    cp.checkpointId()); // a completed checkpoint has no driver: its lease ends with it, in one row change
            Sql.update(c, "UPDATE stardust_slot_assignments SET status = 'ready', updated_at = ? WHERE id = ?"
                    + " AND status = 'backfilling'", now, slot.id());
            SchemaVersion.bump(c, now);
            AdvisorySchedule.requestPostPromotion(c, slot.id(), field.modelId(), now);
        } else {
            Sql.update(c, "UPDATE backfill_checkpoints SET last_processed_id = ?, updated_at = ?,"
                            + " rows_processed = rows_processed + ?, coercion_nulls = coercion_nulls + ? WHERE id = ?",
                    cursor, now, ids.size(), nulls.size(), cp.checkpointId());
        }
        return new RetypeChunk.Done(cp.checkpointId(), cp.fieldId(), field.tenantId(), field.modelId(), slot.id(),
                cp.cursor(), cursor, ids.size(), nulls, last, reservedNow, source, field.type(), field.filterable());
    }

    private void announce(RetypeChunk result) {
        if (result instanceof RetypeChunk.Done d) {
            if (d.reservedNow() != null) {
                reserver.announce(d.fieldId(), d.reservedNow(), SlotStatus.BACKFILLING);
            }
            if (d.finalChunk()) {
                events.info("promote_to_ready", "tenant_id", d.tenantId(), "field_id", d.fieldId(),
                        "slot_assignment_id", d.slotAssignmentId(), "declared_type", d.targetType().wireName(),
                        "is_filterable", d.targetFilterable());
            }
        }
    }

    private static JsonNode rawValue(String json, String fieldName) {
        try {
            JsonNode doc = Json.parse(json);
            return doc.isObject() ? doc.get(fieldName) : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
            return null; // a payload that does not parse holds no value: NULL, no event
        }
    }

    private static void upsert(Connection c, String table, String column, long tenantId, List<long[]> ids,
                               List<Object> values) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (entry_id, tenant_id, " + column
                + ") VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE " + column + " = VALUES(" + column + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(1, ids.get(i)[0]);
                ps.setLong(2, tenantId);
                ps.setObject(3, values.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** As {@link Chunks#claim}, with the source type and the candidates already tried excluded. */
    private static Claimed claim(Connection c, Set<Long> exclude, Long onlyId, CheckpointLease lease, LocalDateTime now)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, job_name, last_processed_id, source_declared_type"
                + " FROM backfill_checkpoints WHERE status = 'running' AND job_name LIKE 'retype\\_field\\_%' AND "
                + Chunks.LEASE_FREE);
        List<Object> args = new ArrayList<>(List.of(lease.owner(), now));
        if (!exclude.isEmpty()) {
            sql.append(" AND id NOT IN (").append(Sql.placeholders(exclude.size())).append(')');
            args.addAll(exclude);
        }
        if (onlyId != null) {
            sql.append(" AND id = ?");
            args.add(onlyId);
        }
        sql.append(" ORDER BY updated_at, id LIMIT 1 FOR UPDATE SKIP LOCKED");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Claimed claimed = new Claimed(rs.getLong(1), RetypeJobs.fieldId(rs.getString(2)), rs.getLong(3),
                        rs.getString(4));
                Chunks.renew(c, claimed.checkpointId(), lease, now);
                return claimed;
            }
        }
    }

    private static Field field(Connection c, long fieldId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT f.name, f.declared_type, f.is_filterable, f.model_id,"
                + " m.tenant_id FROM stardust_fields f JOIN stardust_models m ON m.id = f.model_id WHERE f.id = ?")) {
            ps.setLong(1, fieldId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Field(rs.getString(1), DeclaredType.parse(rs.getString(2)), rs.getBoolean(3),
                        rs.getInt(4), rs.getLong(5)) : null;
            }
        }
    }

    private static Slot liveSlot(Connection c, long fieldId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sa.id, sa.status, sa.page_id, sa.slot_column, p.table_name"
                + " FROM stardust_slot_assignments sa JOIN stardust_pages p ON p.id = sa.page_id WHERE sa.field_id = ?"
                + " AND sa.status IN ('assigned', 'backfilling', 'ready') FOR UPDATE OF sa")) {
            ps.setLong(1, fieldId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Slot(rs.getLong(1), SlotStatus.parse(rs.getString(2)), rs.getInt(3),
                        rs.getString(4), rs.getString(5)) : null;
            }
        }
    }

    private static void fail(Connection c, long checkpointId, String reason, LocalDateTime now) throws SQLException {
        Sql.update(c, "UPDATE backfill_checkpoints SET status = 'failed', last_error = ?, updated_at = ?, completed_at = ?"
                + " WHERE id = ?", reason, now, now, checkpointId);
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
