package io.stardust.engine.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ModelDeletionInProgressException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The write path's lifecycle step, run before routing: a write to a model being deleted is refused
 * ({@link ModelDeletionInProgressException}); the key of a field being deleted is dropped; a key that names a field
 * by the name it had before a rename still in flight is stored under the new name (old clients keep working; when
 * both keys are sent the new one wins). One indexed query per model and write, or per model and schema version
 * where the caller keeps the {@link Lifecycle}.
 */
public final class PayloadCanonicaliser {
    private PayloadCanonicaliser() {
    }

    /** {@code fields} itself when nothing changes, otherwise a canonical copy. */
    public static ObjectNode apply(Connection c, int modelId, ObjectNode fields) throws SQLException {
        return load(c, modelId).apply(fields);
    }

    /**
     * A model's lifecycle state as the write path needs it, as the transaction of {@code c} sees it. Every change
     * to it (rename, deletion, their completion) bumps {@code stardust_schema_version}, so a writer that reads the
     * version in the same transaction may reuse it for as long as the version holds (the ingest planner does).
     */
    public static Lifecycle load(Connection c, int modelId) throws SQLException {
        Map<String, String> renamed = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        boolean deleting = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT m.deleted_at IS NOT NULL, f.name, f.previous_name,"
                + " f.deleted_at IS NOT NULL FROM stardust_models m LEFT JOIN stardust_fields f ON f.model_id = m.id"
                + " AND (f.previous_name IS NOT NULL OR f.deleted_at IS NOT NULL) WHERE m.id = ?")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleting |= rs.getBoolean(1);
                    if (rs.getString(2) == null) {
                        continue;
                    }
                    if (rs.getBoolean(4)) {
                        deleted.add(rs.getString(2));
                    } else {
                        renamed.put(rs.getString(3), rs.getString(2));
                    }
                }
            }
        }
        return new Lifecycle(modelId, deleting, Map.copyOf(renamed), Set.copyOf(deleted));
    }

    /**
     * A model's lifecycle state: being deleted, fields renamed (old name to new) and fields being deleted.
     */
    public record Lifecycle(int modelId, boolean deleting, Map<String, String> renamed, Set<String> deleted) {
        /** Refuses a write to a model being deleted ({@link ModelDeletionInProgressException}). */
        public void requireLive() {
            if (deleting) {
                throw beingDeleted(modelId);
            }
        }

        /** {@code fields} itself when nothing changes, otherwise a canonical copy; refuses a model being deleted. */
        public ObjectNode apply(ObjectNode fields) {
            requireLive();
            if ((renamed.isEmpty() && deleted.isEmpty()) || fields == null || !touches(fields, renamed, deleted)) {
                return fields;
            }
            ObjectNode out = fields.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String target = renamed.get(e.getKey());
                if (deleted.contains(e.getKey())) {
                    continue;
                }
                if (target == null) {
                    out.set(e.getKey(), e.getValue());
                } else if (!fields.has(target)) {
                    out.set(target, e.getValue());
                }
            }
            return out;
        }
    }

    private static boolean touches(ObjectNode fields, Map<String, String> renamed, Set<String> deleted) {
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (renamed.containsKey(k) || deleted.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Refuses an asynchronous submission to a model being deleted. */
    public static void requireModelLive(Connection c, int modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM stardust_models WHERE id = ? AND deleted_at IS NOT NULL")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw beingDeleted(modelId);
                }
            }
        }
    }

    private static ModelDeletionInProgressException beingDeleted(int modelId) {
        return new ModelDeletionInProgressException("model " + modelId + " is being deleted; writes to it are refused");
    }
}
