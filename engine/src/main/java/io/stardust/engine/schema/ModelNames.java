package io.stardust.engine.schema;

import io.stardust.ModelSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The registry's one rule for model names, used by every entry point that turns a name into a model (define,
 * CLI and HTTP lookups, search filters' {@code field.model}, the ingest gateway and its DLQ replay).
 *
 * <p>The rule: surrounding whitespace is trimmed, then names are compared by MySQL under the name column's
 * collation, {@code utf8mb4_0900_ai_ci}: case- and accent-insensitive ({@code Company}, {@code company} and
 * {@code cómpany} are one model), everything else significant. This is the collation of the registry's unique
 * key {@code ux_models_tenant_name}, so a lookup finds exactly the model a define of the same name would find or
 * collide with. The comparison is done in SQL, never in Java: no Java comparison reproduces the collation exactly
 * ({@code equalsIgnoreCase} ignores case only, a {@code Collator} follows another Unicode version), and two
 * rules are how {@code cómpany} once resolved in one entry point and not in another.
 */
public final class ModelNames {
    private ModelNames() {
    }

    /** The name as stored and looked up: trimmed ({@code null} becomes empty). */
    public static String normalise(String name) {
        return name == null ? "" : name.trim();
    }

    /** The tenant's model with this name under the rule above, with its registered spelling. */
    public static Optional<ModelSummary> find(Connection c, long tenantId, String name) throws SQLException {
        return find(c, tenantId, name, false);
    }

    /** As {@link #find(Connection, long, String)}, locking the row (or the gap where it would go) for the transaction. */
    public static Optional<ModelSummary> findForUpdate(Connection c, long tenantId, String name) throws SQLException {
        return find(c, tenantId, name, true);
    }

    private static Optional<ModelSummary> find(Connection c, long tenantId, String name, boolean forUpdate) throws SQLException {
        String normalised = normalise(name);
        if (normalised.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM stardust_models WHERE tenant_id = ? AND name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, tenantId);
            ps.setString(2, normalised);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ModelSummary(rs.getInt(1), rs.getString(2))) : Optional.empty();
            }
        }
    }
}
