package io.stardust.engine.slot;

import io.stardust.DeclaredType;
import io.stardust.SlotAssignment;
import io.stardust.StarDustException;
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
import javax.sql.DataSource;

/**
 * Makes a model queryable without the daemons: every filterable field without a live slot gets an indexed one,
 * provisioning pages indexed for exactly the missing columns while free indexed capacity is short. One page holds
 * 25 string, 15 int, 10 numeric and 10 datetime slots, so a model with more filterable fields of a family than
 * that gets as many pages as it needs. Fields that already hold a slot are left alone, so running it again
 * changes nothing.
 */
public final class ModelCapacity {
    private static final int LOCK_TIMEOUT_SECONDS = 10;
    /** Rounds in a row in which fresh pages gave no waiting field a slot (other reservers took them) before giving up. */
    private static final int MAX_FRUITLESS_ROUNDS = 3;

    private final DataSource ds;
    private final PageProvisioner provisioner;
    private final SlotReserver reserver;
    private final String lockNamespace;

    /** {@code lockNamespace}: the installation's advisory lock namespace (null: the database name). */
    public ModelCapacity(DataSource ds, PageProvisioner provisioner, SlotReserver reserver, String lockNamespace) {
        this.ds = ds;
        this.provisioner = provisioner;
        this.reserver = reserver;
        this.lockNamespace = lockNamespace;
    }

    private record Waiting(long fieldId, String name, DeclaredType type) {
    }

    /**
     * Reserves slots for the model's unslotted filterable fields; returns what was reserved. Throws
     * {@link StarDustException} naming the fields still without a slot if concurrent reservers keep taking the
     * slots of the pages provisioned for them.
     */
    public List<SlotAssignment> ensureSlots(int modelId) {
        List<SlotAssignment> reserved = new ArrayList<>();
        List<Waiting> waiting = reserveEach(unslotted(modelId), reserved);
        int fruitless = 0;
        while (!waiting.isEmpty()) {
            provisionUnderLock(columnsFor(waiting));
            int before = waiting.size();
            waiting = reserveEach(waiting, reserved);
            fruitless = waiting.size() == before ? fruitless + 1 : 0;
            if (fruitless == MAX_FRUITLESS_ROUNDS && !waiting.isEmpty()) {
                throw new StarDustException(waiting.size() + " filterable field(s) of model " + modelId
                        + " still have no slot after provisioning pages for them (other reservers took the slots): "
                        + waiting.stream().map(Waiting::name).toList());
            }
        }
        return reserved;
    }

    /** Tries each field once; returns those that found no free indexed slot. */
    private List<Waiting> reserveEach(List<Waiting> fields, List<SlotAssignment> reserved) {
        List<Waiting> still = new ArrayList<>();
        for (Waiting f : fields) {
            reserver.reserveForExhaustionBackfill(f.fieldId()).ifPresentOrElse(reserved::add, () -> still.add(f));
        }
        return still;
    }

    /** The columns one page can index for these fields: per family, as many as wait, up to the family's capacity. */
    private static List<String> columnsFor(List<Waiting> fields) {
        Map<String, Integer> perFamily = new LinkedHashMap<>();
        fields.forEach(f -> perFamily.merge(f.type().family(), 1, Integer::sum));
        List<String> columns = new ArrayList<>();
        perFamily.forEach((family, n) -> {
            for (int i = 1; i <= Math.min(n, PageLayout.CAPACITY.get(family)); i++) {
                columns.add(PageLayout.column(family, i));
            }
        });
        return columns;
    }

    /** Same lock as the Watcher, so the two never provision the same page number at once. */
    private void provisionUnderLock(List<String> columns) {
        try (AdvisoryLock lock = AdvisoryLock.acquire(ds::getConnection, PageProvisioner.LOCK_NAME, LOCK_TIMEOUT_SECONDS,
                lockNamespace)) {
            provisioner.provision(columns);
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    private List<Waiting> unslotted(int modelId) {
        return Tx.withConnection(ds, c -> {
            List<Waiting> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.name, f.declared_type FROM stardust_fields f"
                    + " WHERE f.model_id = ? AND f.is_filterable = 1 AND NOT EXISTS (SELECT 1 FROM stardust_slot_assignments sa"
                    + " WHERE sa.field_id = f.id AND sa.status IN ('assigned','backfilling','ready')) ORDER BY f.id")) {
                ps.setInt(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Waiting(rs.getLong(1), rs.getString(2), DeclaredType.parse(rs.getString(3))));
                    }
                }
            }
            return out;
        });
    }
}
