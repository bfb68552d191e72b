package io.stardust;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.engine.db.Pools;
import io.stardust.kit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A StarDust engine on the test class's own database, reset and bootstrapped fresh for each test, with helpers
 * for raw SQL assertions.
 */
public final class EngineFixture implements AutoCloseable {
    public final TestDatabase db;
    public final HikariDataSource ds;
    public final StarDust engine;

    private EngineFixture(TestDatabase db, Path artifactDir) {
        this.db = db;
        db.reset();
        this.ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 8, "test");
        StarDustConfig cfg = StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()).withArtifactDir(artifactDir);
        this.engine = StarDust.create(ds, cfg, Clock.systemUTC());
        engine.bootstrap();
    }

    public static EngineFixture fresh(TestDatabase db) {
        return fresh(db, Path.of(System.getProperty("java.io.tmpdir"), "stardust-test-artifacts"));
    }

    public static EngineFixture fresh(TestDatabase db, Path artifactDir) {
        return new EngineFixture(db, artifactDir);
    }

    /** Another pool on the same database (a second worker, a sibling session). */
    public HikariDataSource pool(int size, String name) {
        return Pools.open(db.jdbcUrl(), db.user(), db.password(), size, name);
    }

    /** Get-or-create a model; no slots. */
    public ModelDefinition model(long tenant, String name, FieldSpec... fields) {
        return engine.defineModel(tenant, name, List.of(fields));
    }

    public long write(long tenant, ModelDefinition model, Map<String, ?> fields) {
        return engine.write(EntryPayload.of(tenant, model.modelId(), fields)).entryId();
    }

    /** Writes {@code n} entries {@code {<field>: "v<i>"}} through the bulk path; returns their ids. */
    public List<Long> writeMany(long tenant, ModelDefinition model, String field, int n) {
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < n; from += 1000) {
            List<EntryPayload> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                batch.add(EntryPayload.of(tenant, model.modelId(), Map.of(field, "v" + i)));
            }
            engine.bulkWrite(batch).chunks().forEach(ch -> ids.addAll(ch.entryIds()));
        }
        return ids;
    }

    /** A model with the given fields, a page whose filterable columns are indexed, and a slot for each. */
    public ModelDefinition modelWithSlots(long tenant, String name, FieldSpec... fields) {
        ModelDefinition def = engine.defineModel(tenant, name, List.of(fields));
        List<String> indexed = new ArrayList<>();
        Map<String, Integer> next = new java.util.HashMap<>();
        for (FieldSpec f : fields) {
            if (f.filterable()) {
                int n = next.merge(f.type().family(), 1, Integer::sum);
                indexed.add(String.format("i_%s_%02d", f.type().family(), n));
            }
        }
        if (!indexed.isEmpty()) {
            engine.provisionPage(indexed);
            for (FieldSpec f : fields) {
                if (f.filterable()) {
                    engine.reserveSlot(def.fieldId(f.name())).orElseThrow();
                }
            }
        }
        return def;
    }

    public long count(String sql, Object... args) {
        return count(ds, sql, args);
    }

    public List<List<Object>> rows(String sql, Object... args) {
        return rows(ds, sql, args);
    }

    /** The first column of the (existing) first row as a long; NULL reads as 0. */
    public static long count(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row, each as its column values. */
    public static List<List<Object>> rows(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<List<Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void exec(String... statements) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs every running retype/promotion backfill to completion, as the Reconciler would (no daemon); fails when
     * one waits for capacity.
     */
    public void runBackfills() {
        io.stardust.engine.db.UtcClock clock = new io.stardust.engine.db.UtcClock(Clock.systemUTC());
        io.stardust.engine.lifecycle.RetypeBackfill backfill = new io.stardust.engine.lifecycle.RetypeBackfill(ds, clock,
                new io.stardust.engine.slot.SlotReserver(ds, clock));
        for (int i = 0; i < 10_000; i++) {
            io.stardust.engine.lifecycle.RetypeChunk r;
            try {
                r = backfill.runChunk(500);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (r instanceof io.stardust.engine.lifecycle.RetypeChunk.Idle) {
                return;
            }
            if (!(r instanceof io.stardust.engine.lifecycle.RetypeChunk.Done)) {
                throw new IllegalStateException("backfill stopped: " + r);
            }
        }
        throw new IllegalStateException("backfill did not finish");
    }

    @Override
    public void close() {
        ds.close();
    }
}
