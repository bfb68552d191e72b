package io.stardust.liberator;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.engine.db.Tx;
import io.stardust.engine.slot.SlotTombstoner;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The test class's database, reset and bootstrapped for each test, with an engine for registry set-up and raw SQL
 * helpers for seeding and assertions.
 */
final class DbFixture implements AutoCloseable {
    private final EngineFixture base;
    final TestDatabase db;
    final HikariDataSource ds;
    final StarDust engine;

    private DbFixture(TestDatabase db) {
        this.base = EngineFixture.fresh(db);
        this.db = db;
        this.ds = base.ds;
        this.engine = base.engine;
    }

    static DbFixture fresh(TestDatabase db) {
        return new DbFixture(db);
    }

    /** A slot of model {@code name} (tenant 1) holding one filterable string field, on the page with this column. */
    record SeededSlot(int modelId, long fieldId, long slotAssignmentId, int pageId, String table, String column) {
    }

    /**
     * Provisions a page (indexed on {@code i_str_01..i_str_<fields>}) when none exists, defines model {@code name}
     * with string fields {@code f1..f<fields>} and reserves a slot for each.
     */
    List<SeededSlot> modelWithSlots(String name, int fields) {
        List<FieldSpec> specs = new ArrayList<>();
        for (int i = 1; i <= fields; i++) {
            specs.add(new FieldSpec("f" + i, DeclaredType.STRING, true));
        }
        ModelDefinition def = engine.defineModel(1, name, specs);
        if (count("SELECT COUNT(*) FROM stardust_pages") == 0) {
            List<String> indexed = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                indexed.add(String.format("i_str_%02d", i));
            }
            engine.provisionPage(indexed);
        }
        List<SeededSlot> out = new ArrayList<>();
        for (FieldSpec f : specs) {
            var a = engine.reserveSlot(def.fieldId(f.name())).orElseThrow();
            out.add(new SeededSlot(def.modelId(), def.fieldId(f.name()), a.slotAssignmentId(), a.pageId(),
                    "entry_slots_page_" + a.pageId(), a.slotColumn()));
        }
        return out;
    }

    /**
     * Inserts {@code n} entries of the slot's model straight into {@code entry_data} and the page table, every
     * column of {@code slots} holding a value ({@code <column>-<entry id>}). Returns the new entry ids in order.
     */
    List<Long> seedEntries(int n, SeededSlot... slots) {
        SeededSlot first = slots[0];
        long before = count("SELECT COALESCE(MAX(id), 0) FROM entry_data");
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (SeededSlot s : slots) {
            cols.append(", ").append(s.column());
            vals.append(", CONCAT('").append(s.column()).append("-', e.id)");
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET SESSION cte_max_recursion_depth = 1000000");
            st.execute("INSERT INTO entry_data (tenant_id, model_id, created_at, updated_at, fields)"
                    + " WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < " + n + ")"
                    + " SELECT 1, " + first.modelId() + ", UTC_TIMESTAMP(), UTC_TIMESTAMP(), JSON_OBJECT('n', n) FROM seq");
            st.execute("INSERT INTO " + first.table() + " (entry_id, tenant_id" + cols + ")"
                    + " SELECT e.id, e.tenant_id" + vals + " FROM entry_data e WHERE e.id > " + before
                    + " ORDER BY e.id");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        List<Long> ids = new ArrayList<>();
        for (List<Object> r : rows("SELECT id FROM entry_data WHERE id > ? ORDER BY id", before)) {
            ids.add(((Number) r.get(0)).longValue());
        }
        return ids;
    }

    /** Tombstones through the engine's one tombstoning path (which resets the sweep checkpoint, Q5). */
    void tombstone(long slotAssignmentId, LocalDateTime at) {
        boolean done = Tx.inTransaction(ds, c -> SlotTombstoner.tombstoneWithinTransaction(c, slotAssignmentId, at));
        if (!done) {
            throw new IllegalStateException("slot " + slotAssignmentId + " was not live");
        }
    }

    void tombstone(long slotAssignmentId) {
        tombstone(slotAssignmentId, LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0));
    }

    long nonNullValues(SeededSlot slot) {
        return count("SELECT COUNT(*) FROM " + slot.table() + " WHERE " + slot.column() + " IS NOT NULL");
    }

    long version() {
        return engine.schemaVersion();
    }

    long count(String sql, Object... args) {
        return base.count(sql, args);
    }

    List<List<Object>> rows(String sql, Object... args) {
        return base.rows(sql, args);
    }

    void exec(String... statements) {
        base.exec(statements);
    }

    @Override
    public void close() {
        base.close();
    }
}
