package io.stardust.engine.schema;

import io.stardust.DeclaredType;
import io.stardust.FieldDefinitionConflictException;
import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldNameConflictException;
import io.stardust.FieldSpec;
import io.stardust.InvalidModelDefinitionException;
import io.stardust.InvalidTenantIdException;
import io.stardust.ModelDefinition;
import io.stardust.ModelDeletionInProgressException;
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
 * Get-or-create registration of models and fields. One transaction; bumps the schema version once iff
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
                if (isDeleted(c, "stardust_models", modelId)) {
                    throw new ModelDeletionInProgressException("model '" + modelName[0] + "' (" + modelId + ") of tenant "
                            + tenantId + " is being deleted; its name can be defined again when its purge ("
                            + "checkpoint purge_model_" + modelId + ") has removed its entries");
                }
            } else {
                modelId = insert(c, "INSERT INTO stardust_models (tenant_id, name, created_at) VALUES (?, ?, ?)", tenantId, requestedName, now);
                inserted = true;
            }
            Map<String, Long> ids = new LinkedHashMap<>();
            Map<Long, FieldSpec> thisCall = new HashMap<>();
            for (FieldSpec f : requested) {
                refuseNameBeingRenamedAway(c, modelId, modelName[0], f.name());
                StoredField stored = findField(c, modelId, f.name());
                long fieldId;
                if (stored == null) {
                    fieldId = insert(c, "INSERT INTO stardust_fields (model_id, name, declared_type, is_filterable, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", modelId, f.name(), f.type().wireName(), f.filterable(), now, now);
                    inserted = true;
                } else {
                    fieldId = stored.id();
                    if (stored.deleted()) {
                        throw new FieldDeletionInProgressException("field '" + stored.spec().name() + "' (" + fieldId
                                + ") of model '" + modelName[0] + "' is being deleted; its name can be defined again when"
                                + " its purge (checkpoint purge_field_" + fieldId + ") has removed its values");
                    }
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
                    + "', not '" + requested.text() + "'; defining a model never changes an existing field: "
                    + howToChange(existing, requested);
        }
        throw new FieldDefinitionConflictException(message, modelName, existing, requested, registered);
    }

    /** The lifecycle operations that turn {@code existing} into {@code requested} (same name). */
    private static String howToChange(FieldSpec existing, FieldSpec requested) {
        List<String> steps = new ArrayList<>();
        if (existing.type() != requested.type()) {
            steps.add("retype it with retypeField (bin/stardust field:retype --type=" + requested.type().wireName() + ")");
        }
        if (existing.filterable() != requested.filterable()) {
            steps.add(requested.filterable()
                    ? "make it filterable with promoteFieldToFilterable (bin/stardust field:promote)"
                    : "make it JSON-only with demoteFieldFromFilterable (bin/stardust field:demote)");
        }
        return String.join(", then ", steps);
    }

    /** A rename still rewriting payloads owns the old name: a new field of that name would never receive a value. */
    private static void refuseNameBeingRenamedAway(Connection c, long modelId, String modelName, String name)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM stardust_fields WHERE model_id = ?"
                + " AND previous_name = ? AND deleted_at IS NULL")) {
            ps.setLong(1, modelId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new FieldNameConflictException("field '" + name + "' of model '" + modelName + "' is being"
                            + " renamed to '" + rs.getString(2) + "' (" + rs.getLong(1) + "); its old name can be defined"
                            + " again when the rename's rewrite (checkpoint rename_field_" + rs.getLong(1) + ") completes");
                }
            }
        }
    }

    private static boolean isDeleted(Connection c, String table, long id) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM " + table + " WHERE id = ? AND deleted_at IS NOT NULL", 0, id) > 0;
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

    private record StoredField(long id, FieldSpec spec, boolean deleted) {
    }

    /** The field the registry's unique key would collide with: same name under the column's collation. */
    private static StoredField findField(Connection c, long modelId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, declared_type, is_filterable,"
                + " deleted_at IS NOT NULL FROM stardust_fields WHERE model_id = ? AND name = ? FOR UPDATE")) {
            ps.setLong(1, modelId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new StoredField(rs.getLong(1), new FieldSpec(rs.getString(2), DeclaredType.parse(rs.getString(3)),
                        rs.getBoolean(4)), rs.getBoolean(5));
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
