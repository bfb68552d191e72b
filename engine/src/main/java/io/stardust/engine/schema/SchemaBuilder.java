package io.stardust.engine.schema;

import io.stardust.DeclaredType;
import io.stardust.FieldDefinitionConflictException;
import io.stardust.FieldSpec;
import io.stardust.InvalidModelDefinitionException;
import io.stardust.InvalidTenantIdException;
import io.stardust.ModelDefinition;
import io.stardust.ModelSummary;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Get-or-create registration of models and fields (spec §7.3). One transaction; bumps the schema version once iff
 * anything was inserted. A field that is already registered exactly as requested is returned unchanged; one that
 * contradicts the registry or another field of the same call ({@link FieldDefinitionConflictException}) rolls the
 * whole call back: type and filterability changes are retype/promote/demote, never a define. Model and field names
 * follow the registry's rule ({@link ModelNames}): trimmed, then one name under {@code utf8mb4_0900_ai_ci}.
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
            throw new InvalidTenantIdException("tenant_id must be >= 1, got " + tenantId);
        }
        String requestedName = validName("model", name);
        List<FieldSpec> requested = new ArrayList<>();
        for (FieldSpec f : fields) {
            if (f.type() == null) {
                throw new InvalidModelDefinitionException("field '" + f.name() + "' has no declared type");
            }
            requested.add(new FieldSpec(validName("field", f.name()), f.type(), f.filterable()));
        }
        String[] modelName = {requestedName};
        ModelDefinition def = Tx.inTransaction(ds, c -> {
            var now = clock.now();
            boolean inserted = false;
            Optional<ModelSummary> existing = ModelNames.findForUpdate(c, tenantId, requestedName);
            long modelId;
            if (existing.isPresent()) {
                modelId = existing.get().modelId();
                modelName[0] = existing.get().name();
            } else {
                modelId = insert(c, "INSERT INTO stardust_models (tenant_id, name, created_at) VALUES (?, ?, ?)", tenantId, requestedName, now);
                inserted = true;
            }
            Map<String, Long> ids = new LinkedHashMap<>();
            Map<Long, FieldSpec> thisCall = new HashMap<>();
            for (FieldSpec f : requested) {
                StoredField stored = findField(c, modelId, f.name());
                long fieldId;
                if (stored == null) {
                    fieldId = insert(c, "INSERT INTO stardust_fields (model_id, name, declared_type, is_filterable, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", modelId, f.name(), f.type().wireName(), f.filterable(), now, now);
                    inserted = true;
                } else {
                    fieldId = stored.id();
                    FieldSpec earlier = thisCall.get(fieldId);
                    if (earlier != null) {
                        requireSame(modelName[0], earlier, f, false);
                    } else {
                        requireSame(modelName[0], stored.spec(), f, true);
                    }
                }
                thisCall.putIfAbsent(fieldId, f);
                ids.put(f.name(), fieldId);
            }
            if (inserted) {
                SchemaVersion.bump(c, now);
            }
            return new ModelDefinition((int) modelId, ids);
        });
        events.info("generic_log", "message", "model registered", "tenant_id", tenantId, "model_id", def.modelId(),
                "model_name", modelName[0], "field_count", fields.size());
        return def;
    }

    private static void requireSame(String modelName, FieldSpec existing, FieldSpec requested, boolean registered) {
        if (existing.equals(requested)) {
            return;
        }
        String message;
        if (!registered) {
            message = "the definition of model '" + modelName + "' names one field twice, differently: '" + existing.text()
                    + "' and '" + requested.text() + "'";
        } else if (!existing.name().equals(requested.name())) {
            message = "field '" + requested.name() + "' of model '" + modelName + "' is the existing field '" + existing.name()
                    + "' spelled differently (field names are compared ignoring case and accents; entry keys must match"
                    + " the registered spelling exactly)";
        } else {
            message = "field '" + existing.name() + "' of model '" + modelName + "' is registered as '" + existing.text()
                    + "', not '" + requested.text() + "'; defining a model never changes an existing field's type or"
                    + " filterability";
        }
        throw new FieldDefinitionConflictException(message, modelName, existing, requested, registered);
    }

    private static String validName(String what, String name) {
        String t = ModelNames.normalise(name);
        if (t.isEmpty()) {
            throw new InvalidModelDefinitionException(what + " name must not be empty");
        }
        int chars = t.codePointCount(0, t.length());
        if (chars > MAX_NAME_CHARS) { // Q21 fix: characters, as the column counts them
            throw new InvalidModelDefinitionException(what + " name '" + abbreviate(t) + "' is " + chars
                    + " characters long; at most " + MAX_NAME_CHARS + " are allowed");
        }
        return t;
    }

    /** A name short enough for a one-line error: the first 32 characters and how many more there are. */
    private static String abbreviate(String name) {
        int cut = name.offsetByCodePoints(0, 32);
        return name.substring(0, cut) + "...";
    }

    private record StoredField(long id, FieldSpec spec) {
    }

    /** The field the registry's unique key would collide with: same name under the column's collation. */
    private static StoredField findField(Connection c, long modelId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, declared_type, is_filterable FROM stardust_fields"
                + " WHERE model_id = ? AND name = ? FOR UPDATE")) {
            ps.setLong(1, modelId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new StoredField(rs.getLong(1), new FieldSpec(rs.getString(2), DeclaredType.parse(rs.getString(3)),
                        rs.getBoolean(4)));
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
