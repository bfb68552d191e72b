package io.stardust.engine.slot;

import io.stardust.DeclaredType;
import io.stardust.SlotAssignment;
import io.stardust.engine.db.AdvisoryLock;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Makes a model queryable without the daemons: every filterable field without a live slot gets an indexed one,
 * provisioning one page indexed for exactly the missing columns when the free indexed capacity is not enough.
 * Fields that already hold a slot are left alone, so running it again changes nothing.
 */
public final class ModelCapacity {
    private static final int LOCK_TIMEOUT_SECONDS = 10;

    private final DataSource ds;
    private final PageProvisioner provisioner;
    private final SlotReserver reserver;

    public ModelCapacity(DataSource ds, PageProvisioner provisioner, SlotReserver reserver) {
        this.ds = ds;
        this.provisioner = provisioner;
        this.reserver = reserver;
    }

    /** Reserves slots for the model's unslotted filterable fields; returns what was reserved. */
    public List<SlotAssignment> ensureSlots(int modelId) {
        List<SlotAssignment> reserved = new ArrayList<>();
        Map<Long, DeclaredType> waiting = new LinkedHashMap<>();
        for (Map.Entry<Long, DeclaredType> f : unslotted(modelId).entrySet()) {
            Optional<SlotAssignment> slot = reserver.reserveForExhaustionBackfill(f.getKey());
            slot.ifPresentOrElse(reserved::add, () -> waiting.put(f.getKey(), f.getValue()));
        }
        if (waiting.isEmpty()) {
            return reserved;
        }
        Map<String, Integer> perFamily = new LinkedHashMap<>();
        waiting.values().forEach(t -> perFamily.merge(t.family(), 1, Integer::sum));
        List<String> columns = new ArrayList<>();
        perFamily.forEach((family, n) -> {
            for (int i = 1; i <= Math.min(n, PageLayout.CAPACITY.get(family)); i++) {
                columns.add(PageLayout.column(family, i));
            }
        });
        provisionUnderLock(columns);
        for (Long fieldId : waiting.keySet()) {
            reserver.reserveForExhaustionBackfill(fieldId).ifPresent(reserved::add);
        }
        return reserved;
    }

    /** Same lock as the Watcher, so the two never provision the same page number at once. */
    private void provisionUnderLock(List<String> columns) {
        try (AdvisoryLock lock = AdvisoryLock.acquire(ds::getConnection, PageProvisioner.LOCK_NAME, LOCK_TIMEOUT_SECONDS)) {
            provisioner.provision(columns);
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    private Map<Long, DeclaredType> unslotted(int modelId) {
        return Tx.withConnection(ds, c -> {
            Map<Long, DeclaredType> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.declared_type FROM stardust_fields f"
                    + " WHERE f.model_id = ? AND f.is_filterable = 1 AND NOT EXISTS (SELECT 1 FROM stardust_slot_assignments sa"
                    + " WHERE sa.field_id = f.id AND sa.status IN ('assigned','backfilling','ready')) ORDER BY f.id")) {
                ps.setInt(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), DeclaredType.parse(rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }
}
