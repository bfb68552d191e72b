package io.stardust.connect;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fresh StarDust database with the model {@code company} (fields name, seq) for tenants 1..n, and SQL helpers. */
public final class SinkFixture implements AutoCloseable {
    public final TestDatabase db;
    public final HikariDataSource ds;
    public final StarDust engine;

    public SinkFixture(TestDatabase db, int tenants) {
        this.db = db;
        db.reset();
        this.ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 3, "sink-test");
        this.engine = StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());
        engine.bootstrap();
        for (int t = 1; t <= tenants; t++) {
            engine.defineModel(t, "company", List.of(new FieldSpec("name", DeclaredType.STRING, false),
                    new FieldSpec("seq", DeclaredType.INT, false)));
        }
    }

    /** The three required keys plus the connector's basics. */
    public Map<String, String> connectorConfig(String name, String topics) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("connector.class", StarDustSinkConnector.class.getName());
        c.put("topics", topics);
        c.put("stardust.dsn", db.jdbcUrl());
        c.put("stardust.user", db.user());
        c.put("stardust.password", db.password());
        c.put("stardust.pool.size", "3");
        return c;
    }

    public static String envelope(int tenant, String key, int seq) {
        return "{\"tenantId\":" + tenant + ",\"model\":\"company\",\"key\":\"" + key + "\",\"fields\":{\"seq\":" + seq
                + ",\"name\":\"n" + seq + "\"}}";
    }

    public long count(String sql, Object... args) {
        return EngineFixture.count(ds, sql, args);
    }

    public List<List<Object>> rows(String sql, Object... args) {
        return EngineFixture.rows(ds, sql, args);
    }

    public void exec(String sql) {
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Live keyed entries of a tenant's company model: key → seq. */
    public Map<String, String> liveSeqByKey(long tenant) {
        int model = engine.findModel(tenant, "company").orElseThrow().modelId();
        Map<String, String> out = new HashMap<>();
        for (List<Object> r : rows("SELECT k.entry_key, JSON_UNQUOTE(JSON_EXTRACT(e.fields, '$.seq')) FROM stardust_entry_keys k"
                + " JOIN entry_data e ON e.id = k.entry_id AND e.deleted_at IS NULL WHERE k.tenant_id = ? AND k.model_id = ?",
                tenant, model)) {
            out.put((String) r.get(0), (String) r.get(1));
        }
        return out;
    }

    /** Stored next offsets of a consumer group: "topic-partition" → next offset. */
    public Map<String, Long> positions(String group) {
        Map<String, Long> out = new HashMap<>();
        for (List<Object> r : rows("SELECT topic, kafka_partition, next_offset FROM stardust_ingest_offsets WHERE consumer_group = ?", group)) {
            out.put(r.get(0) + "-" + r.get(1), ((Number) r.get(2)).longValue());
        }
        return out;
    }

    @Override
    public void close() {
        ds.close();
    }
}
