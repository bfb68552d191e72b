package io.stardust.engine.schema;

import io.stardust.DeclaredType;
import io.stardust.FieldDescription;
import io.stardust.ModelDescription;
import io.stardust.ModelSummary;
import io.stardust.SlotStatus;
import io.stardust.engine.db.Tx;
import io.stardust.engine.slot.IndexedSlot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Read-only, lock-free registry introspection. Every query is scoped to the tenant. */
public final class RegistryReader {
    private final DataSource ds;

    public RegistryReader(DataSource ds) {
        this.ds = ds;
    }

    public List<ModelSummary> listModels(long tenantId) {
        return Tx.withConnection(ds, c -> {
            List<ModelSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM stardust_models WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id")) {
                ps.setLong(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ModelSummary(rs.getInt(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** The tenant's model of this name under the registry's name rule ({@link ModelNames}), as registered. */
    public Optional<ModelSummary> findModel(long tenantId, String name) {
        return Tx.withConnection(ds, c -> ModelNames.find(c, tenantId, name));
    }

    /** Null-free: empty when the model is missing or belongs to another tenant (indistinguishable by design). */
    public Optional<ModelDescription> describeModel(long tenantId, int modelId) {
        return Tx.withConnection(ds, c -> {
            String modelName;
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM stardust_models WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL")) {
                ps.setInt(1, modelId);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    modelName = rs.getString(1);
                }
            }
            List<FieldDescription> fields = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.name, f.declared_type, f.is_filterable,"
                    + " sa.status, sa.page_id, sa.slot_column, (sa.id IS NOT NULL AND " + IndexedSlot.predicate("sa", "p") + ") AS indexed"
                    + " FROM stardust_fields f"
                    + " LEFT JOIN stardust_slot_assignments sa ON sa.field_id = f.id AND sa.status IN ('assigned','backfilling','ready')"
                    + " LEFT JOIN stardust_pages p ON p.id = sa.page_id"
                    + " WHERE f.model_id = ? AND f.deleted_at IS NULL ORDER BY f.id")) {
                ps.setInt(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString("status");
                        SlotStatus slot = status == null ? null : SlotStatus.parse(status);
                        boolean filterable = rs.getBoolean("is_filterable");
                        boolean indexed = filterable && slot != null && slot.isQueryable() && rs.getBoolean("indexed");
                        fields.add(new FieldDescription(rs.getLong("id"), rs.getString("name"),
                                DeclaredType.parse(rs.getString("declared_type")), filterable, indexed, slot,
                                rs.getObject("page_id", Integer.class), rs.getString("slot_column")));
                    }
                }
            }
            return Optional.of(new ModelDescription(modelId, tenantId, modelName, fields));
        });
    }
}
