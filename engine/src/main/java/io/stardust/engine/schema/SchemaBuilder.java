package io.stardust.engine.schema;

import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Get-or-create registration of models and fields (spec §7.3). One transaction; bumps the schema version once iff
 * anything was inserted. Existing rows are returned unchanged: type and filterability changes go through
 * retype/promote/demote, never through here.
 */
public final class SchemaBuilder {
    static final int MAX_NAME_CHARS = 128;

    private final DataSource ds;
    private final UtcClock clock;
    private final EventLog events = new EventLog("registry");

    public SchemaBuilder(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public ModelDefinition createModel(long tenantId, String name, List<FieldSpec> fields) {
        if (tenantId < 1) {
            throw new IllegalArgumentException("tenant_id must be >= 1, got " + tenantId);
        }
        String modelName = validName("model", name);
        for (FieldSpec f : fields) {
            validName("field", f.name());
            if (f.type() == null) {
                throw new IllegalArgumentException("field '" + f.name() + "' has no declared type");
            }
        }
        ModelDefinition def = Tx.inTransaction(ds, c -> {
            var now = clock.now();
            boolean inserted = false;
            Long modelId = findId(c, "SELECT id FROM stardust_models WHERE tenant_id = ? AND name = ? FOR UPDATE", tenantId, modelName);
            if (modelId == null) {
                modelId = insert(c, "INSERT INTO stardust_models (tenant_id, name, created_at) VALUES (?, ?, ?)", tenantId, modelName, now);
                inserted = true;
            }
            Map<String, Long> ids = new LinkedHashMap<>();
            for (FieldSpec f : fields) {
                String fieldName = f.name().trim();
                Long fieldId = findId(c, "SELECT id FROM stardust_fields WHERE model_id = ? AND name = ? FOR UPDATE", modelId, fieldName);
                if (fieldId == null) {
                    fieldId = insert(c, "INSERT INTO stardust_fields (model_id, name, declared_type, is_filterable, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", modelId, fieldName, f.type().wireName(), f.filterable(), now, now);
                    inserted = true;
                }
                ids.put(fieldName, fieldId);
            }
            if (inserted) {
                SchemaVersion.bump(c, now);
            }
            return new ModelDefinition(modelId.intValue(), ids);
        });
        events.info("generic_log", "message", "model registered", "tenant_id", tenantId, "model_id", def.modelId(),
                "model_name", modelName, "field_count", fields.size());
        return def;
    }

    private static String validName(String what, String name) {
        String t = name == null ? "" : name.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(what + " name must not be empty");
        }
        if (t.codePointCount(0, t.length()) > MAX_NAME_CHARS) { // Q21 fix: characters, as the column counts them
            throw new IllegalArgumentException(what + " name '" + t + "' is longer than " + MAX_NAME_CHARS + " characters");
        }
        return t;
    }

    private static Long findId(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, List.of(values));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(ps, List.of(values));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
