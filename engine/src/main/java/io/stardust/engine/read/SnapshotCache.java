package io.stardust.engine.read;

import io.stardust.DeclaredType;
import io.stardust.ModelNotFoundException;
import io.stardust.RegistryCaches;
import io.stardust.SlotStatus;
import io.stardust.engine.db.Tx;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.read.SchemaSnapshot.FieldDescriptor;
import io.stardust.engine.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Per-engine cache of model snapshots keyed by model id, in one of two modes ({@link RegistryCaches}):
 * <ul>
 *   <li>probing (the default): validated against {@code stardust_schema_version} on every use (one cheap
 *       primary-key read). If the version probe itself fails, a snapshot younger than 60 s is reused, so a brief
 *       registry hiccup does not fail reads;</li>
 *   <li>following changes: a cached snapshot is used until an invalidation drops it; nothing reads the version.</li>
 * </ul>
 * A snapshot is only cached if no invalidation and no mode switch happened while it was loaded (the epoch), so a
 * load that read the registry just before a change cannot put its stale result back after the change dropped it.
 */
public final class SnapshotCache implements RegistryCaches {
    static final Duration STALE_FALLBACK = Duration.ofSeconds(60);
    /** The version of a snapshot loaded while following changes: validated by invalidations, not by a version. */
    private static final long UNVERSIONED = -1;

    private final DataSource ds;
    private final Clock clock;
    private final ConcurrentHashMap<Integer, SchemaSnapshot> cache = new ConcurrentHashMap<>();
    private final EventLog events = new EventLog("api");
    private final Object lock = new Object();
    private long epoch; // guarded by lock: bumped by every invalidation and mode switch
    private volatile boolean following;

    public SnapshotCache(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** The current snapshot of the model; the model must belong to the tenant. */
    public SchemaSnapshot get(long tenantId, int modelId, String correlationId) {
        return following ? followed(tenantId, modelId, correlationId) : probed(tenantId, modelId, correlationId);
    }

    private SchemaSnapshot followed(long tenantId, int modelId, String correlationId) {
        SchemaSnapshot cached = cache.get(modelId);
        if (cached != null && cached.version() == UNVERSIONED) {
            return requireTenant(cached, tenantId);
        }
        return requireTenant(loadAndCache(modelId, UNVERSIONED, cached, correlationId, tenantId), tenantId);
    }

    private SchemaSnapshot probed(long tenantId, int modelId, String correlationId) {
        SchemaSnapshot cached = cache.get(modelId);
        long live;
        try {
            live = Tx.withConnection(ds, SchemaVersion::read);
        } catch (RuntimeException e) {
            if (cached != null && cached.version() != UNVERSIONED
                    && Duration.between(cached.capturedAt(), clock.instant()).compareTo(STALE_FALLBACK) < 0) {
                return requireTenant(cached, tenantId);
            }
            throw e;
        }
        if (cached != null && cached.version() == live) {
            return requireTenant(cached, tenantId);
        }
        return requireTenant(loadAndCache(modelId, live, cached, correlationId, tenantId), tenantId);
    }

    private SchemaSnapshot loadAndCache(int modelId, long version, SchemaSnapshot cached, String correlationId,
                                        long tenantId) {
        long loadEpoch;
        synchronized (lock) {
            loadEpoch = epoch;
        }
        SchemaSnapshot fresh = Tx.withConnection(ds, c -> load(c, modelId, version));
        synchronized (lock) {
            if (epoch == loadEpoch) {
                cache.put(modelId, fresh);
            }
        }
        events.info("cache_miss", "correlation_id", correlationId, "tenant_id", tenantId, "model_id", modelId,
                "cached_version", cached == null || cached.version() == UNVERSIONED ? null : cached.version(),
                "live_version", version == UNVERSIONED ? null : version);
        return fresh;
    }

    @Override
    public void modelChanged(int modelId) {
        synchronized (lock) {
            epoch++;
            cache.remove(modelId);
        }
    }

    @Override
    public void fieldChanged(long fieldId) {
        synchronized (lock) {
            epoch++;
            cache.values().removeIf(s -> s.fields().stream().anyMatch(f -> f.fieldId() == fieldId));
        }
    }

    @Override
    public void everythingChanged() {
        synchronized (lock) {
            epoch++;
            cache.clear();
        }
    }

    @Override
    public void followChanges() {
        synchronized (lock) {
            following = true;
            epoch++;
            cache.clear();
        }
    }

    @Override
    public void probeVersion() {
        synchronized (lock) {
            following = false;
            epoch++;
            cache.clear();
        }
    }

    @Override
    public boolean followingChanges() {
        return following;
    }

    private static SchemaSnapshot requireTenant(SchemaSnapshot s, long tenantId) {
        if (s.tenantId() != tenantId) {
            throw new ModelNotFoundException("model " + s.modelId() + " does not exist for tenant " + tenantId);
        }
        return s;
    }

    private SchemaSnapshot load(Connection c, int modelId, long version) throws SQLException {
        long tenant;
        String name;
        boolean deleted;
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, name, deleted_at IS NOT NULL FROM stardust_models WHERE id = ?")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ModelNotFoundException("model " + modelId + " does not exist");
                }
                tenant = rs.getLong(1);
                name = rs.getString(2);
                deleted = rs.getBoolean(3);
            }
        }
        List<FieldDescriptor> fields = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.name, f.declared_type, f.is_filterable,"
                + " sa.slot_column, sa.status, sa.page_id, p.table_name, f.previous_name, p.layout_version FROM stardust_fields f"
                + " LEFT JOIN stardust_slot_assignments sa ON sa.field_id = f.id"
                + "   AND sa.status IN ('assigned','backfilling','ready','tombstoned')"
                + " LEFT JOIN stardust_pages p ON p.id = sa.page_id WHERE f.model_id = ? AND f.deleted_at IS NULL ORDER BY f.id")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString("status");
                    fields.add(new FieldDescriptor(rs.getLong("id"), rs.getString("name"),
                            DeclaredType.parse(rs.getString("declared_type")), rs.getBoolean("is_filterable"),
                            rs.getString("slot_column"), status == null ? null : SlotStatus.parse(status),
                            rs.getObject("page_id", Integer.class), rs.getString("table_name"), rs.getString("previous_name"),
                            rs.getObject("layout_version") == null ? 1 : rs.getInt("layout_version")));
                }
            }
        }
        return new SchemaSnapshot(modelId, tenant, name, version, clock.instant(), fields, deleted);
    }
}
