package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class SameTypeRelocationTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;

    SameTypeRelocationTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        life = new LifecycleSupport(fx);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aSameTypeRetypeMovesEveryValueOfEveryFamilyToANewSlotColumnAndLeavesTheFieldRowAlone() {
        ModelDefinition m = fx.modelWithSlots(1, "m", new FieldSpec("s", DeclaredType.STRING, true),
                new FieldSpec("i", DeclaredType.INT, true), new FieldSpec("n", DeclaredType.NUMERIC, true),
                new FieldSpec("d", DeclaredType.DATETIME, true));
        fx.engine.provisionPage(List.of("i_str_01", "i_int_01", "i_num_01", "i_dt_01"));
        long a = fx.write(1, m, Map.of("s", "x", "i", 5, "n", 2.5, "d", "2026-01-15T08:00:00+01:00"));
        long b = fx.write(1, m, Map.of("s", "Ünïcode ✓", "i", -9, "n", 1e-3, "d", "2026-03-01"));
        List<List<Object>> fieldRows = fx.rows("SELECT id, name, declared_type, is_filterable FROM stardust_fields ORDER BY id");
        Map<String, List<Object>> before = Map.of("s", life.liveSlot(m.fieldId("s")), "i", life.liveSlot(m.fieldId("i")),
                "n", life.liveSlot(m.fieldId("n")), "d", life.liveSlot(m.fieldId("d")));

        for (String f : List.of("s", "i", "n", "d")) {
            fx.engine.retypeField(1, m.fieldId(f), typeOf(f));
        }
        life.runToCompletion(1);

        assertThat(fx.rows("SELECT id, name, declared_type, is_filterable FROM stardust_fields ORDER BY id")).isEqualTo(fieldRows);
        for (String f : List.of("s", "i", "n", "d")) {
            List<Object> now = life.liveSlot(m.fieldId(f));
            assertThat(now.get(1)).isEqualTo("ready");
            assertThat(List.of(now.get(2), now.get(3))).as(f + " moved").isNotEqualTo(List.of(before.get(f).get(2), before.get(f).get(3)));
        }
        assertThat(life.slotValue(m.fieldId("s"), a)).isEqualTo("x");
        assertThat(life.slotValue(m.fieldId("s"), b)).isEqualTo("Ünïcode ✓");
        assertThat(life.slotValue(m.fieldId("i"), a)).isEqualTo(5L);
        assertThat(life.slotValue(m.fieldId("i"), b)).isEqualTo(-9L);
        assertThat(life.slotValue(m.fieldId("n"), a)).isEqualTo(2.5);
        assertThat(life.slotValue(m.fieldId("n"), b)).isEqualTo(1e-3);
        assertThat(life.slotValue(m.fieldId("d"), a)).isEqualTo(LocalDateTime.of(2026, 1, 15, 7, 0));
        assertThat(life.slotValue(m.fieldId("d"), b)).isEqualTo(LocalDateTime.of(2026, 3, 1, 0, 0));
    }

    private static DeclaredType typeOf(String f) {
        return switch (f) {
            case "s" -> DeclaredType.STRING;
            case "i" -> DeclaredType.INT;
            case "n" -> DeclaredType.NUMERIC;
            default -> DeclaredType.DATETIME;
        };
    }
}
