package io.stardust.watcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.engine.json.Json;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test class's database, reset and bootstrapped for each test, with an engine for registry set-up and writes
 * and raw SQL helpers for assertions.
 */
final class DbFixture implements AutoCloseable {
    final TestDatabase db;
    final HikariDataSource ds;
    final StarDust engine;

    private DbFixture(TestDatabase db) {
        this.db = db;
        db.reset();
        this.ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 8, "test");
        this.engine = StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());
        engine.bootstrap();
    }

    static DbFixture fresh(TestDatabase db) {
        return new DbFixture(db);
    }

    HikariDataSource pool(int size, String name) {
        return Pools.open(db.jdbcUrl(), db.user(), db.password(), size, name);
    }

    ModelDefinition model(long tenant, String name, FieldSpec... fields) {
        return engine.defineModel(tenant, name, List.of(fields));
    }

    long write(long tenant, ModelDefinition model, Map<String, ?> fields) {
        return engine.write(EntryPayload.of(tenant, model.modelId(), fields)).entryId();
    }

    /** Writes {@code n} entries {@code {<field>: "<prefix><i>"}} through the bulk path; returns their ids. */
    List<Long> writeMany(long tenant, ModelDefinition model, String field, int n) {
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < n; from += 1000) {
            List<EntryPayload> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                ObjectNode f = Json.object();
                f.put(field, "v" + i);
                batch.add(new EntryPayload(tenant, model.modelId(), f));
            }
            engine.bulkWrite(batch).chunks().forEach(ch -> ids.addAll(ch.entryIds()));
        }
        return ids;
    }

    long count(String sql, Object... args) {
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

    List<List<Object>> rows(String sql, Object... args) {
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

    void exec(String... statements) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ds.close();
    }
}
