package io.stardust.watcher;

import io.stardust.daemon.UuidV4;
import io.stardust.engine.db.Tx;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.slot.PageLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * How selective each queryable slot's index is (source {@code registry}): per assigned/ready slot,
 * the owning tenant's rows on the page (NULLs included) and the distinct values of the column (NULLs excluded).
 * {@code cardinality_sampled} for each, and {@code low_cardinality_index} (warning) with {@code threshold_violated}
 * = {@code selectivity} (distinct/rows below the threshold with at least the row floor) and/or
 * {@code distinct_floor} (fewer distinct values than the floor).
 *
 * <p>Divergence: only the tenant that owns the slot's field is measured. Upstream measured every tenant with rows on
 * the page, but a column belongs to one field of one tenant's model, so the other tenants' figures (all NULL) only
 * produced false {@code distinct_floor} warnings.
 */
public final class CardinalitySampler {
    private final DataSource ds;
    private final WatcherConfig config;
    private final EventLog events;
    private final UuidV4 uuids = UuidV4.secure();

    public CardinalitySampler(DataSource ds, WatcherConfig config, EventLog registryEvents) {
        this.ds = ds;
        this.config = config;
        this.events = registryEvents;
    }

    private record Slot(long id, Long fieldId, String fieldName, int modelId, int pageId, String table, String column,
                        long tenantId) {
    }

    /** One slot's measurement; {@code thresholdViolated} is empty when the index is selective enough. */
    public record Sample(long tenantId, int modelId, long slotAssignmentId, Long fieldId, String fieldName, int pageId,
                         String slotColumn, long rowCount, long distinctValues, double selectivity,
                         List<String> thresholdViolated) {
        public Sample {
            thresholdViolated = List.copyOf(thresholdViolated);
        }
    }

    /** Every assigned/ready slot, one correlation id, {@code trigger = periodic}. Returns the slots sampled. */
    public int samplePeriodic() {
        String correlationId = uuids.next();
        return Tx.withConnection(ds, c -> {
            List<Slot> slots = slots(c, null, null, null);
            for (Slot s : slots) {
                sample(c, s, correlationId, "periodic");
            }
            return slots.size();
        });
    }

    /** One slot after its backfill ({@code trigger = post_backfill}); nothing unless it is assigned/ready. */
    public boolean sampleSlot(long slotAssignmentId) {
        String correlationId = uuids.next();
        return Tx.withConnection(ds, c -> {
            List<Slot> slots = slots(c, slotAssignmentId, null, null);
            for (Slot s : slots) {
                sample(c, s, correlationId, "post_backfill");
            }
            return !slots.isEmpty();
        });
    }

    /**
     * On demand ({@code bin/stardust cardinality:report}, {@code trigger = on_demand}): the assigned/ready slots of
     * one tenant, or of one model, or all (null filters), with the same events as a periodic run; returns the
     * measurements in slot order.
     */
    public List<Sample> sampleOnDemand(Long tenantId, Integer modelId) {
        String correlationId = uuids.next();
        return Tx.withConnection(ds, c -> {
            List<Sample> out = new ArrayList<>();
            for (Slot s : slots(c, null, tenantId, modelId)) {
                out.add(sample(c, s, correlationId, "on_demand"));
            }
            return out;
        });
    }

    private static List<Slot> slots(Connection c, Long only, Long tenantId, Integer modelId) throws SQLException {
        List<Slot> out = new ArrayList<>();
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT sa.id, sa.field_id, f.name, f.model_id, sa.page_id, p.table_name,"
                + " sa.slot_column, m.tenant_id FROM stardust_slot_assignments sa"
                + " JOIN stardust_pages p ON p.id = sa.page_id"
                + " JOIN stardust_fields f ON f.id = sa.field_id JOIN stardust_models m ON m.id = f.model_id"
                + " WHERE sa.status IN ('assigned', 'ready')");
        if (only != null) {
            sql.append(" AND sa.id = ?");
            binds.add(only);
        }
        if (tenantId != null) {
            sql.append(" AND m.tenant_id = ?");
            binds.add(tenantId);
        }
        if (modelId != null) {
            sql.append(" AND f.model_id = ?");
            binds.add(modelId);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.append(" ORDER BY sa.id").toString())) {
            io.stardust.engine.db.Sql.bind(ps, binds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long field = rs.getLong(2);
                    out.add(new Slot(rs.getLong(1), rs.wasNull() ? null : field, rs.getString(3), rs.getInt(4),
                            rs.getInt(5), PageLayout.requirePageTable(rs.getString(6)),
                            PageLayout.requireColumn(rs.getString(7)), rs.getLong(8)));
                }
            }
        }
        return out;
    }

    private Sample sample(Connection c, Slot s, String correlationId, String trigger) throws SQLException {
        long rows;
        long distinct;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT " + s.column() + ") FROM "
                + s.table() + " WHERE tenant_id = ?")) {
            ps.setLong(1, s.tenantId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
                distinct = rs.getLong(2);
            }
        }
        double selectivity = rows == 0 ? 0.0 : Math.round((double) distinct / rows * 10_000) / 10_000.0;
        Object[] fields = {"correlation_id", correlationId, "tenant_id", s.tenantId(), "slot_assignment_id", s.id(),
                "field_id", s.fieldId(), "page_id", s.pageId(), "slot_column", s.column(), "row_count", rows,
                "distinct_values", distinct, "selectivity", selectivity, "trigger", trigger};
        events.info("cardinality_sampled", fields);
        List<String> violated = new ArrayList<>();
        if (selectivity < config.cardinalitySelectivityThreshold() && rows >= config.cardinalityRowFloor()) {
            violated.add("selectivity");
        }
        if (distinct < config.cardinalityDistinctFloor()) {
            violated.add("distinct_floor");
        }
        if (!violated.isEmpty()) {
            Object[] warn = java.util.Arrays.copyOf(fields, fields.length + 2);
            warn[fields.length] = "threshold_violated";
            warn[fields.length + 1] = String.join(",", violated);
            events.warning("low_cardinality_index", warn);
        }
        return new Sample(s.tenantId(), s.modelId(), s.id(), s.fieldId(), s.fieldName(), s.pageId(), s.column(), rows,
                distinct, selectivity, violated);
    }
}
