package io.stardust.watcher;

import io.stardust.daemon.UuidV4;
import io.stardust.engine.db.Tx;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.slot.PageLayout;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * How fragmented each model's live filterable slots are across pages (source {@code registry}):
 * purely observational. Population: assigned/ready slots of filterable fields; backfilling, tombstoned and
 * grandfathered (non-filterable) slots are left out. {@code spread_sampled} per model (one correlation id per run),
 * and {@code high_spread_model} (warning) when the model spans at least two pages and exceeds its theoretical
 * minimum by {@code spreadExcessPageThreshold} or more.
 */
public final class SpreadSampler {

    /** One model's spread. */
    public record Sample(long tenantId, int modelId, int pagesOccupied, int theoreticalMinPages, int excessPages,
                         int liveSlotCount) {
    }

    private final DataSource ds;
    private final int excessThreshold;
    private final EventLog events;
    private final UuidV4 uuids = UuidV4.secure();

    public SpreadSampler(DataSource ds, int excessThreshold, EventLog registryEvents) {
        this.ds = ds;
        this.excessThreshold = excessThreshold;
        this.events = registryEvents;
    }

    /** Samples every model (optionally one tenant, one model) and logs the events with {@code trigger}. */
    public List<Sample> sample(String trigger, Long tenantId, Integer modelId) {
        List<Sample> samples = read(tenantId, modelId);
        String correlationId = uuids.next();
        for (Sample s : samples) {
            Object[] fields = {"correlation_id", correlationId, "tenant_id", s.tenantId(), "model_id", s.modelId(),
                    "pages_occupied", s.pagesOccupied(), "theoretical_min_pages", s.theoreticalMinPages(),
                    "excess_pages", s.excessPages(), "live_slot_count", s.liveSlotCount(), "trigger", trigger};
            events.info("spread_sampled", fields);
            if (s.pagesOccupied() >= 2 && s.excessPages() >= excessThreshold) {
                Object[] warn = java.util.Arrays.copyOf(fields, fields.length + 2);
                warn[fields.length] = "threshold";
                warn[fields.length + 1] = excessThreshold;
                events.warning("high_spread_model", warn);
            }
        }
        return samples;
    }

    private List<Sample> read(Long tenantId, Integer modelId) {
        return Tx.withConnection(ds, c -> {
            StringBuilder sql = new StringBuilder("SELECT m.tenant_id, f.model_id, sa.page_id, sa.slot_column"
                    + " FROM stardust_slot_assignments sa JOIN stardust_fields f ON f.id = sa.field_id"
                    + " JOIN stardust_models m ON m.id = f.model_id"
                    + " WHERE sa.status IN ('assigned', 'ready') AND f.is_filterable = 1");
            List<Object> binds = new ArrayList<>();
            if (tenantId != null) {
                sql.append(" AND m.tenant_id = ?");
                binds.add(tenantId);
            }
            if (modelId != null) {
                sql.append(" AND f.model_id = ?");
                binds.add(modelId);
            }
            sql.append(" ORDER BY m.tenant_id, f.model_id, sa.page_id, sa.slot_column");
            Map<List<Long>, Set<Integer>> pages = new LinkedHashMap<>();
            Map<List<Long>, Map<String, Integer>> families = new HashMap<>();
            Map<List<Long>, Integer> slots = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                io.stardust.engine.db.Sql.bind(ps, binds);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Long> key = List.of(rs.getLong(1), (long) rs.getInt(2));
                        pages.computeIfAbsent(key, k -> new HashSet<>()).add(rs.getInt(3));
                        slots.merge(key, 1, Integer::sum);
                        String family = PageLayout.familyOf(rs.getString(4));
                        if (family != null) {
                            families.computeIfAbsent(key, k -> new HashMap<>()).merge(family, 1, Integer::sum);
                        }
                    }
                }
            }
            List<Sample> out = new ArrayList<>();
            for (Map.Entry<List<Long>, Set<Integer>> e : pages.entrySet()) {
                int occupied = e.getValue().size();
                int min = SpreadMath.theoreticalMinPages(families.getOrDefault(e.getKey(), Map.of()));
                out.add(new Sample(e.getKey().get(0), e.getKey().get(1).intValue(), occupied, min,
                        SpreadMath.excessPages(occupied, min), slots.get(e.getKey())));
            }
            return out;
        });
    }
}
