package io.stardust.engine.write;

import io.stardust.DeclaredType;
import io.stardust.ModelNotFoundException;
import io.stardust.SlotStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each registered field of one model goes on write ("LiveSlotMap"): its type, filterability and
 * live slot (any of assigned, backfilling, ready), loaded once per model per transaction.
 */
public final class ModelRoutes {

    /** One field's route. {@code table}/{@code column} are null when it holds no live slot. */
    public record Route(long fieldId, String name, DeclaredType type, boolean filterable, Integer pageId, String table,
                        String column, SlotStatus status) {
        public boolean hasSlot() {
            return column != null;
        }
    }

    private final long tenantId;
    private final int modelId;
    private final Map<String, Route> byName;

    private ModelRoutes(long tenantId, int modelId, Map<String, Route> byName) {
        this.tenantId = tenantId;
        this.modelId = modelId;
        this.byName = byName;
    }

    /** Loads the routes; the model must belong to the tenant (fix for upstream quirk Q9). */
    public static ModelRoutes load(Connection c, long tenantId, int modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM stardust_models WHERE id = ? AND tenant_id = ?")) {
            ps.setInt(1, modelId);
            ps.setLong(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ModelNotFoundException("model " + modelId + " does not exist for tenant " + tenantId);
                }
            }
        }
        Map<String, Route> routes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.name, f.declared_type, f.is_filterable,"
                + " sa.page_id, p.table_name, sa.slot_column, sa.status FROM stardust_fields f"
                + " LEFT JOIN stardust_slot_assignments sa ON sa.field_id = f.id AND sa.status IN ('assigned','backfilling','ready')"
                + " LEFT JOIN stardust_pages p ON p.id = sa.page_id WHERE f.model_id = ? ORDER BY f.id")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString("status");
                    routes.put(rs.getString("name"), new Route(rs.getLong("id"), rs.getString("name"),
                            DeclaredType.parse(rs.getString("declared_type")), rs.getBoolean("is_filterable"),
                            rs.getObject("page_id", Integer.class), rs.getString("table_name"), rs.getString("slot_column"),
                            status == null ? null : SlotStatus.parse(status)));
                }
            }
        }
        return new ModelRoutes(tenantId, modelId, routes);
    }

    public long tenantId() {
        return tenantId;
    }

    public int modelId() {
        return modelId;
    }

    /** Payload keys are matched case-sensitively against registered names. */
    public Route route(String fieldName) {
        return byName.get(fieldName);
    }

    public Collection<Route> all() {
        return byName.values();
    }
}
