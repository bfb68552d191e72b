package io.stardust.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.engine.db.Sql;
import io.stardust.engine.json.Json;
import io.stardust.engine.outbox.ImportOrigin;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes addressed by an external key (not in upstream StarDust): an upsert inserts the entry mapped by
 * (tenant, model, key) or fully replaces it (update semantics); a delete soft-deletes it. An upsert
 * without a key is a plain insert. A key whose entry was soft-deleted is re-pointed at a new entry by the next
 * upsert (there is no restore).
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
                     PlannedEntry insertPlan, ImportOrigin origin) {
        /** The same operation, its event marked as coming from this file-import line. */
        public Op withOrigin(ImportOrigin o) {
            return new Op(kind, tenantId, modelId, key, routes, fields, insertPlan, o);
        }
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
        return new Op(Kind.UPSERT, routes.tenantId(), routes.modelId(), key, routes, fields, plan, null);
    }

    public static Op delete(long tenantId, int modelId, String key) {
        requireKey(key);
        return new Op(Kind.DELETE, tenantId, modelId, key, null, null, null, null);
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

    /** Applies the operations in the caller's transaction, events without after-images; outcomes in input order. */
    public static List<Outcome> apply(Connection c, List<Op> ops, LocalDateTime now) throws SQLException {
        return apply(c, ops, now, false);
    }

    /**
     * Applies the operations in the caller's transaction; outcomes are in input order. {@code afterImages}: each
     * created/updated event carries the entry's stored fields.
     */
    public static List<Outcome> apply(Connection c, List<Op> ops, LocalDateTime now, boolean afterImages) throws SQLException {
        Outcome[] outcomes = new Outcome[ops.size()];
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int round = op.key() == null ? 0 : seen.merge(identity(op), 1, Integer::sum) - 1;
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        for (List<Integer> round : rounds) {
            applyRound(c, ops, round, outcomes, now, afterImages);
        }
        return List.of(outcomes);
    }

    private static void applyRound(Connection c, List<Op> ops, List<Integer> indices, Outcome[] outcomes, LocalDateTime now,
                                   boolean afterImages) throws SQLException {
        Map<String, KeyRow> keys = lookUpKeys(c, ops, indices);
        Map<String, Long> live = new HashMap<>();
        keys.forEach((k, row) -> {
            if (row.live()) {
                live.put(k, row.entryId());
            }
        });
        List<Integer> inserts = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        List<Integer> deletes = new ArrayList<>();
        for (int i : indices) {
            Op op = ops.get(i);
            Long existing = op.key() == null ? null : live.get(identity(op));
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
        insert(c, ops, inserts, outcomes, now, keys.keySet(), afterImages);
        update(c, ops, updates, outcomes, now, afterImages);
        delete(c, ops, deletes, outcomes, now);
    }

    /** A key row found by {@link #lookUpKeys}: its entry, and whether that entry is live. */
    private record KeyRow(long entryId, boolean live) {
    }

    /**
     * The key rows of this round's keys that exist, locked with their entries. A plain (non-locking) read first
     * finds which keys exist; only those are then read again {@code FOR UPDATE}, so an absent key takes no lock
     * (class comment). Keys are looked up per (tenant, model) with an {@code IN} list on the last primary-key
     * column: point lookups of the primary key (a row-constructor {@code IN} over all three columns was measured
     * to be planned as a scan, slower the more keys the table holds).
     */
    private static Map<String, KeyRow> lookUpKeys(Connection c, List<Op> ops, List<Integer> indices) throws SQLException {
        Map<String, List<String>> byModel = new LinkedHashMap<>();
        for (int i : indices) {
            Op op = ops.get(i);
            if (op.key() != null) {
                byModel.computeIfAbsent(op.tenantId() + "/" + op.modelId(), k -> new ArrayList<>()).add(op.key());
            }
        }
        Map<String, KeyRow> found = new HashMap<>();
        for (Map.Entry<String, List<String>> m : byModel.entrySet()) {
            int slash = m.getKey().indexOf('/');
            long tenantId = Long.parseLong(m.getKey().substring(0, slash));
            int modelId = Integer.parseInt(m.getKey().substring(slash + 1));
            List<String> existing = new ArrayList<>();
            query(c, "SELECT k.entry_key FROM stardust_entry_keys k", tenantId, modelId, m.getValue(), "",
                    rs -> existing.add(rs.getString(1)));
            if (!existing.isEmpty()) {
                query(c, "SELECT k.entry_key, k.entry_id, e.id IS NOT NULL AND e.deleted_at IS NULL FROM stardust_entry_keys k"
                                + " LEFT JOIN entry_data e ON e.id = k.entry_id", tenantId, modelId, existing, " FOR UPDATE",
                        rs -> found.put(identity(tenantId, modelId, rs.getString(1)), new KeyRow(rs.getLong(2), rs.getBoolean(3))));
            }
        }
        return found;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String select, long tenantId, int modelId, List<String> keys, String suffix,
                              RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select + " WHERE k.tenant_id = ? AND k.model_id = ? AND k.entry_key IN ("
                + Sql.placeholders(keys.size()) + ")" + suffix)) {
            int p = 1;
            ps.setLong(p++, tenantId);
            ps.setInt(p++, modelId);
            for (String k : keys) {
                ps.setString(p++, k);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    private static void insert(Connection c, List<Op> ops, List<Integer> idx, Outcome[] outcomes, LocalDateTime now,
                               java.util.Set<String> keyRowExists, boolean afterImages) throws SQLException {
        if (idx.isEmpty()) {
            return;
        }
        List<PlannedEntry> plans = new ArrayList<>(idx.size());
        List<ImportOrigin> origins = new ArrayList<>(idx.size());
        for (int i : idx) {
            plans.add(ops.get(i).insertPlan());
            origins.add(ops.get(i).origin());
        }
        List<Long> ids = EntryStore.insert(c, plans, origins, now, afterImages);
        List<Object> newKeys = new ArrayList<>();
        List<Object> repointed = new ArrayList<>();
        for (int j = 0; j < idx.size(); j++) {
            Op op = ops.get(idx.get(j));
            PlannedEntry p = plans.get(j);
            outcomes[idx.get(j)] = new Outcome(OutboxEvent.CREATED, ids.get(j), p.needsBackfill(), p.slotWrites().size());
            if (op.key() != null) {
                List<Object> rows = keyRowExists.contains(identity(op)) ? repointed : newKeys;
                rows.add(op.tenantId());
                rows.add(op.modelId());
                rows.add(op.key());
                rows.add(ids.get(j));
            }
        }
        if (!newKeys.isEmpty()) {
            try {
                insertKeyRows(c, newKeys, "");
            } catch (SQLException e) {
                if (Sql.isDuplicateKey(e)) {
                    throw new KeyConflictException(e);
                }
                throw e;
            }
        }
        // Keys whose entry was soft-deleted (their rows are locked) now name the new entry.
        insertKeyRows(c, repointed, " ON DUPLICATE KEY UPDATE entry_id = VALUES(entry_id)");
    }

    private static void insertKeyRows(Connection c, List<Object> rows, String suffix) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        // A JDBC batch of the single-row insert, sent as multi-row statements (see EntryStore.insertEntryRows).
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_entry_keys (tenant_id, model_id, entry_key, entry_id)"
                + " VALUES (?, ?, ?, ?)" + suffix)) {
            for (int r = 0; r < rows.size(); r += 4) {
                for (int p = 0; p < 4; p++) {
                    ps.setObject(p + 1, rows.get(r + p));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void update(Connection c, List<Op> ops, List<Integer> idx, Outcome[] outcomes, LocalDateTime now,
                               boolean afterImages) throws SQLException {
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
            String json = op.insertPlan().json(); // the same payload, serialised once (maybe ahead of the transaction)
            events.add(new OutboxStore.Change(OutboxEvent.UPDATED, op.tenantId(), op.modelId(), id, op.key(),
                    afterImages ? json : null, op.origin()));
            outcomes[idx.get(j)] = new Outcome(OutboxEvent.UPDATED, id, p.needsBackfill(), p.slotWrites().size());
            sql.append(j == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
            values.add(id);
            values.add(op.tenantId());
            values.add(op.modelId());
            values.add(now);
            values.add(now);
            values.add(json);
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
            events.add(new OutboxStore.Change(OutboxEvent.DELETED, op.tenantId(), op.modelId(), outcomes[i].entryId(), op.key(),
                    null, op.origin()));
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE entry_data SET deleted_at = ?, updated_at = ? WHERE id IN ("
                + Sql.placeholders(idx.size()) + ") AND deleted_at IS NULL")) {
            Sql.bind(ps, values);
            ps.executeUpdate();
        }
        OutboxStore.record(c, events, now);
    }

    private static String identity(Op op) {
        return identity(op.tenantId(), op.modelId(), op.key());
    }

    /**
     * Keys as {@code stardust_entry_keys} compares them: its collation ({@code utf8mb4_bin}) pads with spaces, so
     * {@code "a"} and {@code "a "} are one key row; without this, two spellings of one row would both look absent
     * and their inserts would conflict forever.
     */
    private static String identity(long tenantId, int modelId, String key) {
        int end = key.length();
        while (end > 0 && key.charAt(end - 1) == ' ') {
            end--;
        }
        return tenantId + "/" + modelId + "/" + key.substring(0, end);
    }
}
