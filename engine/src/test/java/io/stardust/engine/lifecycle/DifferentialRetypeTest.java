package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random entries, random source and target types per field, a real backfill in small chunks; each slot value (or
 * NULL with its {@code coercion_null} reason) is compared with what the generator knows the value must become. The
 * expectations come from how each value was built, not from {@link CoercionMatrix}.
 */
@ExtendWith(MySqlExtension.class)
class DifferentialRetypeTest {
    private static final DeclaredType[] TYPES = DeclaredType.values();
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final TestDatabase db;
    private EngineFixture fx;
    private LifecycleSupport life;

    DifferentialRetypeTest(TestDatabase db) {
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

    /** A generated value and what it must become in each target type: a slot value, or a reason string. */
    private record Case(Object json, Map<DeclaredType, Object> expect) {
    }

    @Test
    void everySlotValueMatchesAnIndependentEvaluationOfTheMatrix() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 3; round++) {
            fx.engine.provisionPage(List.of("i_str_01", "i_str_02", "i_str_03", "i_str_04", "i_int_01", "i_int_02", "i_int_03",
                    "i_int_04", "i_num_01", "i_num_02", "i_num_03", "i_num_04", "i_dt_01", "i_dt_02", "i_dt_03", "i_dt_04"));
            List<FieldSpec> specs = new ArrayList<>();
            Map<String, DeclaredType> source = new LinkedHashMap<>();
            Map<String, DeclaredType> target = new LinkedHashMap<>();
            for (int f = 0; f < 4; f++) {
                DeclaredType from = TYPES[rnd.nextInt(4)];
                DeclaredType to;
                do {
                    to = TYPES[rnd.nextInt(4)];
                } while (CoercionMatrix.isRejectedPair(from, to));
                source.put("f" + f, from);
                target.put("f" + f, to);
                specs.add(new FieldSpec("f" + f, from, false)); // JSON-only while written: any value is accepted
            }
            ModelDefinition m = fx.model(1, "m" + round, specs.toArray(FieldSpec[]::new));
            Map<Long, Map<String, Case>> written = new HashMap<>();
            List<EntryPayload> payloads = new ArrayList<>();
            List<Map<String, Case>> cases = new ArrayList<>();
            for (int e = 0; e < 120; e++) {
                Map<String, Object> fields = new HashMap<>();
                Map<String, Case> perField = new HashMap<>();
                for (String name : source.keySet()) {
                    int dice = rnd.nextInt(10);
                    if (dice == 0) {
                        continue; // absent
                    }
                    Case c = dice == 1 ? new Case(null, null) : generate(source.get(name), rnd);
                    fields.put(name, c.json());
                    perField.put(name, c);
                }
                payloads.add(EntryPayload.of(1, m.modelId(), fields));
                cases.add(perField);
            }
            List<Long> ids = new ArrayList<>();
            fx.engine.bulkWrite(payloads).chunks().forEach(ch -> ids.addAll(ch.entryIds()));
            for (int i = 0; i < ids.size(); i++) {
                written.put(ids.get(i), cases.get(i));
            }
            fx.exec("UPDATE stardust_fields SET is_filterable = TRUE WHERE model_id = " + m.modelId());
            for (String name : source.keySet()) {
                fx.engine.retypeField(1, m.fieldId(name), target.get(name));
            }

            Map<String, CoercionMatrix.Reason> nulls = new HashMap<>();
            life.runToCompletion(1 + rnd.nextInt(40)).forEach(d -> d.coercionNulls().forEach(n ->
                    nulls.put(d.fieldId() + "/" + n.entryId(), n.reason())));

            for (Map.Entry<Long, Map<String, Case>> e : written.entrySet()) {
                for (String name : source.keySet()) {
                    long fieldId = m.fieldId(name);
                    Case c = e.getValue().get(name);
                    String where = "seed " + seed + ", entry " + e.getKey() + ", " + name + " " + source.get(name) + "->"
                            + target.get(name) + " of " + (c == null ? "(absent)" : c.json());
                    Object expected = c == null || c.expect() == null ? null : c.expect().get(target.get(name));
                    CoercionMatrix.Reason reason = nulls.get(fieldId + "/" + e.getKey());
                    if (expected instanceof String s && s.startsWith("!")) {
                        assertThat(life.slotValue(fieldId, e.getKey())).as(where).isNull();
                        assertThat(reason == null ? null : reason.wireName()).as(where).isEqualTo(s.substring(1));
                    } else {
                        assertThat(life.slotValue(fieldId, e.getKey())).as(where).isEqualTo(expected);
                        assertThat(reason).as(where).isNull();
                    }
                }
            }
        }
    }

    /** A value a field of type {@code from} may hold in JSON, with its expected outcome per target ("!reason" = NULL). */
    private static Case generate(DeclaredType from, Random rnd) {
        long n = rnd.nextInt(2_000_001) - 1_000_000L;
        double quarter = n / 4.0 + (n % 4 == 0 ? 0.25 : 0); // never integral
        LocalDateTime t = LocalDateTime.ofEpochSecond(rnd.nextInt(2_000_000_000), 0, ZoneOffset.UTC);
        int kind = rnd.nextInt(5);
        return switch (from) {
            case STRING -> switch (kind) {
                case 0 -> new Case(Long.toString(n), Map.of(DeclaredType.STRING, Long.toString(n), DeclaredType.INT, n,
                        DeclaredType.NUMERIC, (double) n, DeclaredType.DATETIME, "!malformed_datetime"));
                case 1 -> new Case(Double.toString(quarter), Map.of(DeclaredType.STRING, Double.toString(quarter),
                        DeclaredType.INT, "!unparseable", DeclaredType.NUMERIC, quarter, DeclaredType.DATETIME, "!malformed_datetime"));
                case 2 -> new Case("w" + n, Map.of(DeclaredType.STRING, "w" + n, DeclaredType.INT, "!unparseable",
                        DeclaredType.NUMERIC, "!malformed_number", DeclaredType.DATETIME, "!malformed_datetime"));
                case 3 -> {
                    String iso = t.toLocalDate() + "T" + t.toLocalTime() + (t.getSecond() == 0 ? ":00" : "") + "Z";
                    yield new Case(iso, Map.of(DeclaredType.STRING, iso, DeclaredType.INT, "!unparseable",
                            DeclaredType.NUMERIC, "!malformed_number", DeclaredType.DATETIME, t));
                }
                default -> new Case(true, Map.of(DeclaredType.STRING, "1", DeclaredType.INT, "!unparseable",
                        DeclaredType.NUMERIC, "!malformed_number", DeclaredType.DATETIME, "!malformed_datetime"));
            };
            case INT -> kind < 3
                    ? new Case(n, Map.of(DeclaredType.INT, n, DeclaredType.STRING, Long.toString(n), DeclaredType.NUMERIC, (double) n))
                    : kind == 3
                    ? new Case(Long.toString(n), Map.of(DeclaredType.INT, n, DeclaredType.STRING, Long.toString(n),
                            DeclaredType.NUMERIC, (double) n))
                    : new Case(quarter, Map.of(DeclaredType.INT, "!unparseable", DeclaredType.STRING, "!unparseable",
                            DeclaredType.NUMERIC, "!unparseable"));
            case NUMERIC -> kind < 2
                    ? new Case(n, Map.of(DeclaredType.NUMERIC, (double) n, DeclaredType.STRING, Long.toString(n), DeclaredType.INT, n))
                    : kind < 4
                    ? new Case(quarter, Map.of(DeclaredType.NUMERIC, quarter, DeclaredType.STRING, Double.toString(quarter),
                            DeclaredType.INT, "!non_integer"))
                    : new Case("x" + n, Map.of(DeclaredType.NUMERIC, "!malformed_number", DeclaredType.STRING,
                            "!malformed_number", DeclaredType.INT, "!malformed_number"));
            case DATETIME -> kind < 4
                    ? new Case(NAIVE.format(t), Map.of(DeclaredType.DATETIME, t, DeclaredType.STRING,
                            NAIVE.format(t).replace(' ', 'T') + ".000000Z"))
                    : new Case("day " + n, Map.of(DeclaredType.DATETIME, "!malformed_datetime", DeclaredType.STRING,
                            "!malformed_datetime"));
        };
    }
}
