package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.DeclaredType;
import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.EntryPayload;
import io.stardust.EntryQuery;
import io.stardust.ExportFormat;
import io.stardust.ExportRequest;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An export with a filter holds exactly what following a search's cursors with that filter returns
 * ({@code search --all}), in the same order, over random filter trees (every leaf operator, nested and/or/not) on
 * data with NULLs, absent keys, soft-deleted entries and a second tenant. Reproduce with
 * {@code -Dstardust.diff.seed=N}; {@code -Dstardust.diff.cases=N} runs more.
 */
@ExtendWith(MySqlExtension.class)
class ExportDifferentialTest {
    private static final long SEED = Long.getLong("stardust.diff.seed", 0xC4801CL);
    private static final int CASES = Integer.getInteger("stardust.diff.cases", 60);
    private static final List<String> WORDS = List.of("alpha", "Alpha", "beta", "gamma", "alp", "é", "e", "", "zeta");

    private final TestDatabase db;
    private ChroniclerFixture fx;

    ExportDifferentialTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void anExportWithARandomFilterEqualsFollowingTheSearchCursorsWithThatFilter() throws Exception {
        fx = new ChroniclerFixture(db);
        Random rnd = new Random(SEED);
        FieldSpec[] fields = {new FieldSpec("n", DeclaredType.INT, true), new FieldSpec("s", DeclaredType.STRING, true),
                new FieldSpec("d", DeclaredType.NUMERIC, true), new FieldSpec("free", DeclaredType.STRING, false)};
        ModelDefinition model = fx.base.modelWithSlots(1, "m", fields);
        ModelDefinition foreign = fx.base.modelWithSlots(2, "m", fields);
        List<EntryPayload> batch = new ArrayList<>();
        List<EntryPayload> other = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> f = new HashMap<>();
            if (rnd.nextInt(10) > 0) {
                f.put("n", rnd.nextInt(41) - 20);
            }
            if (rnd.nextInt(10) > 0) {
                f.put("s", WORDS.get(rnd.nextInt(WORDS.size())));
            }
            if (rnd.nextInt(10) > 1) {
                f.put("d", (rnd.nextInt(200) - 100) / 8.0);
            }
            f.put("free", "row " + i + (rnd.nextBoolean() ? ", \"quoted\"" : ""));
            if (rnd.nextInt(8) == 0) {
                other.add(EntryPayload.of(2, foreign.modelId(), f)); // same values, another tenant
            } else {
                batch.add(EntryPayload.of(1, model.modelId(), f));
            }
        }
        fx.engine.bulkWrite(other);
        List<Long> ids = new ArrayList<>();
        fx.engine.bulkWrite(batch).chunks().forEach(c -> ids.addAll(c.entryIds()));
        for (int i = 0; i < ids.size(); i += 9) {
            fx.engine.deleteEntry(1, ids.get(i));
        }
        JsonFilterDecoder decoder = new JsonFilterDecoder();
        List<String> failures = new ArrayList<>();
        int nonEmpty = 0;
        for (int c = 0; c < CASES; c++) {
            String document = "{\"version\":\"1\",\"filter\":" + node(rnd, 1) + "}";
            int pageSize = 1 + rnd.nextInt(60);
            List<Map<String, String>> expected = searchAll(model.modelId(), decoder.decode(document), 1 + rnd.nextInt(40));
            long job = fx.engine.submitExport(ExportRequest.of(1, model.modelId(), ExportFormat.NDJSON)
                    .withFilter(document));
            fx.chronicler(ChroniclerFixture.config().withPageSize(pageSize)).build().tick();
            List<Map<String, String>> actual = new ArrayList<>();
            for (String line : fx.artifact(1, job).split("\n")) {
                if (!line.isEmpty()) {
                    actual.add(canonical(Json.parse(line)));
                }
            }
            if (!actual.equals(expected)) {
                failures.add("case " + c + " (seed " + SEED + ", page " + pageSize + "): " + document + "\n  search: "
                        + expected.size() + " rows, export: " + actual.size() + " rows" + firstDifference(expected, actual));
            }
            if (!expected.isEmpty()) {
                nonEmpty++;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(nonEmpty).as("the filters are not all empty-handed").isGreaterThan(CASES / 4);
    }

    private static String firstDifference(List<Map<String, String>> expected, List<Map<String, String>> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "; row " + i + ": search " + expected.get(i) + ", export " + actual.get(i);
            }
        }
        return "";
    }

    /** A row as field -> JSON text of its value: the comparison is of what is written, not of node classes. */
    private static Map<String, String> canonical(JsonNode row) {
        Map<String, String> out = new java.util.TreeMap<>();
        row.fields().forEachRemaining(e -> out.put(e.getKey(), Json.write(e.getValue())));
        return out;
    }

    private List<Map<String, String>> searchAll(int modelId, FilterNode filter, int pageSize) {
        List<Map<String, String>> rows = new ArrayList<>();
        EntryQuery q = new EntryQuery(1, modelId, filter, null, pageSize, null);
        while (true) {
            EntryPage page = fx.engine.read(q);
            for (Entry e : page.rows()) {
                rows.add(canonical(e.fields()));
            }
            if (page.nextCursor() == null) {
                return rows;
            }
            q = q.withCursor(page.nextCursor());
        }
    }

    private static String node(Random rnd, int depth) {
        int pick = rnd.nextInt(depth >= 3 ? 1 : 4);
        if (pick == 1 || pick == 2) {
            int n = 2 + rnd.nextInt(2);
            List<String> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                args.add(node(rnd, depth + 1));
            }
            return "{\"op\":\"" + (pick == 1 ? "and" : "or") + "\",\"args\":[" + String.join(",", args) + "]}";
        }
        if (pick == 3) {
            return "{\"op\":\"not\",\"arg\":" + node(rnd, depth + 1) + "}";
        }
        return leaf(rnd);
    }

    private static String leaf(Random rnd) {
        String field = List.of("n", "s", "d").get(rnd.nextInt(3));
        String ref = "\"field\":{\"model\":\"m\",\"name\":\"" + field + "\"}";
        List<String> ops = field.equals("s")
                ? List.of("eq", "neq", "prefix", "in", "nin", "is_null", "is_not_null", "lt", "gte")
                : List.of("eq", "neq", "lt", "lte", "gt", "gte", "in", "nin", "between", "is_null", "is_not_null");
        String op = ops.get(rnd.nextInt(ops.size()));
        String value = switch (op) {
            case "is_null", "is_not_null" -> null;
            case "in", "nin" -> "[" + value(rnd, field) + "," + value(rnd, field) + "]";
            case "between" -> "[" + value(rnd, field) + "," + value(rnd, field) + "]";
            case "prefix" -> Json.write(List.of("al", "a", "b", "ze", "é").get(rnd.nextInt(5)));
            default -> value(rnd, field);
        };
        return "{\"op\":\"" + op + "\"," + ref + (value == null ? "" : ",\"value\":" + value) + "}";
    }

    private static String value(Random rnd, String field) {
        return switch (field) {
            case "n" -> Integer.toString(rnd.nextInt(41) - 20);
            case "d" -> Double.toString((rnd.nextInt(200) - 100) / 8.0);
            default -> Json.write(WORDS.get(rnd.nextInt(WORDS.size() - 1)));
        };
    }
}
