package io.stardust.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.json.Json;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.engine.text.LoneSurrogates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes addressed by an external key (not in upstream StarDust): an upsert inserts the entry mapped by
 * (tenant, model, key) or fully replaces it (update semantics, spec §3.6); a delete soft-deletes it. An upsert
 * without a key is a plain insert. A key whose entry was soft-deleted is re-pointed at a new entry by the next
 * upsert (there is no restore, §3.7).
 *
 * <p>{@link #apply} runs many operations inside the caller's transaction with batched SQL, and gives the same
 * result as applying them one by one in list order: operations are split into rounds in which each key occurs at
 * most once (the k-th operation on a key goes to round k), and rounds run in order. Keys are locked
 * ({@code SELECT ... FOR UPDATE}) before anything is written, so concurrent writers of one key serialise and their
 * outbox events are ordered as their commits.
 */
public final class KeyedWrites {
    public static final int MAX_KEY_LENGTH = 255;

    private KeyedWrites() {
    }

    public enum Kind { UPSERT, DELETE }

    /**
     * One operation, already planned (coercion done, so a bad value fails when the op is built, not in
     * {@link #apply}).
     */
    public record Op(Kind kind, long tenantId, int modelId, String key, ModelRoutes routes, ObjectNode fields,
                     PlannedEntry insertPlan) {
    }

    /** What an operation did: {@code created}, {@code updated}, {@code deleted}, or {@code none} (delete of nothing). */
    public record Outcome(String type, long entryId, boolean enqueued, int slotsWritten) {
        public static final String NONE = "none";
    }

    /** Plans an upsert (or, with a null key, an insert); throws the typed coercion errors of the write path. */
    public static Op upsert(ModelRoutes routes, String key, ObjectNode fields) {
        if (key != null) {
            requireKey(key);
        }
        PlannedEntry plan = EntryPlanner.plan(routes, fields).withKey(key);
        return new Op(Kind.UPSERT, routes.tenantId(), routes.modelId(), key, routes, fields, plan);
    }

    public static Op delete(long tenantId, int modelId, String key) {
        requireKey(key);
        return new Op(Kind.DELETE, tenantId, modelId, key, null, null, null);
    }

    /** Keys are 1..255 code points of valid Unicode. */
    public static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new MalformedEntryPayloadException("'key' must be a non-empty string", "key");
        }
        if (Json.codePoints(key) > MAX_KEY_LENGTH) {
            throw new MalformedEntryPayloadException("'key' is longer than " + MAX_KEY_LENGTH + " characters", "key");
        }
        if (LoneSurrogates.indexIn(key) >= 0) { // MySQL would store it as '?', merging distinct keys
            throw new MalformedEntryPayloadException("'key' " + LoneSurrogates.escape(key)
                    + " has an unpaired UTF-16 surrogate; text must be valid Unicode", "key");
        }
        return key;
    }

    /** Applies the operations in the caller's transaction; outcomes are in input order. */
    public static List<Outcome> apply(Connection c, List<Op> ops, LocalDateTime now) throws SQLException {
        Outcome[] outcomes = new Outcome[ops.size()];
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int round = op.key() == null ? 0 : seen.merge(identity(op.tenantId(), op.modelId(), op.key()), 1, Integer::sum) - 1;
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        for (List<Integer> round : rounds) {
            applyRound(c, ops, round, outcomes, now);
        }
        return List.of(outcomes);
    }

    private static void applyRound(Connection c, List<Op> ops, List<Integer> indices, Outcome[] outcomes, LocalDateTime now)
            throws SQLException {
        Map<String, Long> live = lockKeys(c, ops, indices);
        List<Integer> inserts = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        List<Integer> deletes = new ArrayList<>();
        for (int i : indices) {
            Op op = ops.get(i);
            Long existing = op.key() == null ? null : live.get(identity(op.tenantId(), op.modelId(), op.key()));
            if (op.kind() == Kind.DELETE) {
                if (existing == null) {
                    outcomes[i] = new Outcome(Outcome.NONE, 0, false, 0);
                } else {
                    deletes.add(i);
                    outcomes[i] = new Outcome(OutboxEvent.DELETED, existing, false, 0);
                }
            } else if (existing == null) {
                inserts.add(i);
            } else {
                updates.add(i);
                outcomes[i] = new Outcome(OutboxEvent.UPDATED, existing, false, 0);
            }
        }
        insert(c, ops, inserts, outcomes, now);
        update(c, ops, updates, outcomes, now);
        delete(c, ops, deletes, outcomes, now);
    }

    /** Locks the key rows (and their entries) of this round; returns the keys whose entry is live. */
    private static Map<String, Long> lockKeys(Connection c, List<Op> ops, List<Integer> indices) throws SQLException {
        List<Object> args = new ArrayList<>();
        for (int i : indices) {
            Op op = ops.get(i);
            if (op.key() != null) {
                args.add(op.tenantId());
                args.add(op.modelId());
                args.add(op.key());
            }
        }
        Map<String, Long> live = new HashMap<>();
        if (args.isEmpty()) {
            return live;
        }
        StringBuilder sql = new StringBuilder("SELECT k.tenant_id, k.model_id, k.entry_key, k.entry_id,"
                + " e.id IS NOT NULL AND e.deleted_at IS NULL FROM stardust_entry_keys k LEFT JOIN entry_data e ON e.id = k.entry_id"
                + " WHERE (k.tenant_id, k.model_id, k.entry_key) IN (");
        for (int r = 0; r < args.size() / 3; r++) {
            sql.append(r == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        // One statement for the whole round: the row-constructor IN is a set of primary-key point lookups.
        sql.append(") FOR UPDATE");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(5)) {
                        live.put(identity(rs.getLong(1), rs.getInt(2), rs.getString(3)), rs.getLong(4));
                    }
                }
            }
        }
        return live;
    }

    private static void insert(Connection c, List<Op> ops, List<Integer> idx, Outcome[] outcomes, LocalDateTime now)
            throws SQLException {
        if (idx.isEmpty()) {
            return;
        }
        List<PlannedEntry> plans = new ArrayList<>(idx.size());
        for (int i : idx) {
            plans.add(ops.get(i).insertPlan());
        }
        List<Long> ids = EntryStore.insert(c, plans, now);
        List<Object> keyRows = new ArrayList<>();
        for (int j = 0; j < idx.size(); j++) {
            Op op = ops.get(idx.get(j));
            PlannedEntry p = plans.get(j);
            outcomes[idx.get(j)] = new Outcome(OutboxEvent.CREATED, ids.get(j), p.needsBackfill(), p.slotWrites().size());
            if (op.key() != null) {
                keyRows.add(op.tenantId());
                keyRows.add(op.modelId());
                keyRows.add(op.key());
                keyRows.add(ids.get(j));
            }
        }
        if (!keyRows.isEmpty()) {
            StringBuilder sql = new StringBuilder("INSERT INTO stardust_entry_keys (tenant_id, model_id, entry_key, entry_id) VALUES ");
            for (int r = 0; r < keyRows.size() / 4; r++) {
                sql.append(r == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
            }
            // A key whose entry was soft-deleted now names the new entry.
            sql.append(" ON DUPLICATE KEY UPDATE entry_id = VALUES(entry_id)");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Sql.bind(ps, keyRows);
                ps.executeUpdate();
            }
        }
    }

    private static void update(Connection c, List<Op> ops, List<Integer> idx, Outcome[] outcomes, LocalDateTime now)
            throws SQLException {
        if (idx.isEmpty()) {
            return;
        }
        List<PlannedEntry> plans = new ArrayList<>(idx.size());
        List<Long> ids = new ArrayList<>(idx.size());
        List<Long> queued = new ArrayList<>();
        List<OutboxStore.Change> events = new ArrayList<>(idx.size());
        StringBuilder sql = new StringBuilder("INSERT INTO entry_data (id, tenant_id, model_id, created_at, updated_at, fields) VALUES ");
        List<Object> values = new ArrayList<>();
        for (int j = 0; j < idx.size(); j++) {
            Op op = ops.get(idx.get(j));
            long id = outcomes[idx.get(j)].entryId();
            PlannedEntry p = EntryPlanner.planReplace(op.routes(), op.fields());
            plans.add(p);
            ids.add(id);
            if (p.needsBackfill()) {
                queued.add(id);
            }
            events.add(new OutboxStore.Change(OutboxEvent.UPDATED, op.tenantId(), op.modelId(), id, op.key()));
            outcomes[idx.get(j)] = new Outcome(OutboxEvent.UPDATED, id, p.needsBackfill(), p.slotWrites().size());
            sql.append(j == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
            values.add(id);
            values.add(op.tenantId());
            values.add(op.modelId());
            values.add(now);
            values.add(now);
            values.add(Json.write(op.fields()));
        }
        // Every id exists and is locked (lockKeys), so this multi-row statement only ever takes the UPDATE
        // branch: one round trip to replace many payloads. created_at is left as it was.
        sql.append(" ON DUPLICATE KEY UPDATE fields = VALUES(fields), updated_at = VALUES(updated_at)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, values);
            ps.executeUpdate();
        }
        EntryStore.upsertSlots(c, plans, ids);
        EntryStore.enqueue(c, queued, now);
        OutboxStore.record(c, events, now);
    }

    private static void delete(Connection c, List<Op> ops, List<Integer> idx, Outcome[] outcomes, LocalDateTime now)
            throws SQLException {
        if (idx.isEmpty()) {
            return;
        }
        List<Object> values = new ArrayList<>(List.of(now, now));
        List<OutboxStore.Change> events = new ArrayList<>(idx.size());
        for (int i : idx) {
            Op op = ops.get(i);
            values.add(outcomes[i].entryId());
            events.add(new OutboxStore.Change(OutboxEvent.DELETED, op.tenantId(), op.modelId(), outcomes[i].entryId(), op.key()));
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE entry_data SET deleted_at = ?, updated_at = ? WHERE id IN ("
                + Sql.placeholders(idx.size()) + ") AND deleted_at IS NULL")) {
            Sql.bind(ps, values);
            ps.executeUpdate();
        }
        OutboxStore.record(c, events, now);
    }

    private static String identity(long tenantId, int modelId, String key) {
        return tenantId + "/" + modelId + "/" + key;
    }
}
