package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.stardust.DeclaredType;
import io.stardust.EntryPayload;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.Pools;
import io.stardust.engine.json.Json;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/stardust search} as a real process against the test database. */
@ExtendWith(MySqlExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchCliTest {
    private static final String OPEN = "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"ticket\","
            + "\"name\":\"status\"},\"value\":\"open\"}}";

    private final TestDatabase db;
    private HikariDataSource ds;
    private final List<Long> open = new ArrayList<>();
    private long closed;
    private long typedEntry;

    @TempDir
    Path dir;

    SearchCliTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void seed() {
        db.reset();
        ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 2, "cli-test");
        StarDust engine = StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC());
        engine.bootstrap();
        ModelDefinition m = engine.defineModel(1, "ticket", List.of(new FieldSpec("status", DeclaredType.STRING, true),
                new FieldSpec("priority", DeclaredType.INT, true), new FieldSpec("note", DeclaredType.STRING, false)));
        engine.ensureSlots(1, m.modelId());
        for (int i = 0; i < 5; i++) {
            open.add(engine.write(EntryPayload.of(1, m.modelId(), Map.of("status", "open", "priority", i, "note", "ünïcode " + i))).entryId());
        }
        closed = engine.write(EntryPayload.of(1, m.modelId(), Map.of("status", "closed", "priority", 9))).entryId();
        // Another tenant's identical rows must never show.
        ModelDefinition typed = engine.defineModel(1, "typed", List.of(new FieldSpec("count", DeclaredType.INT, true),
                new FieldSpec("due", DeclaredType.DATETIME, false)));
        engine.ensureSlots(1, typed.modelId());
        typedEntry = engine.write(EntryPayload.of(1, typed.modelId(), Map.of("count", "12", "due", "2010-01-01"))).entryId();
        ModelDefinition other = engine.defineModel(2, "ticket", List.of(new FieldSpec("status", DeclaredType.STRING, true)));
        engine.ensureSlots(2, other.modelId());
        engine.write(EntryPayload.of(2, other.modelId(), Map.of("status", "open")));
    }

    @AfterAll
    void close() {
        ds.close();
    }

    private CliRunner.Result run(String stdin, String... args) throws Exception {
        return new CliRunner(db).runWithStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    @Test
    void onePageWithSelectAndCursor() throws Exception {
        Path filter = Files.writeString(dir.resolve("open.json"), OPEN);
        CliRunner.Result first = run("", "search", "--tenant=1", "--model=ticket", "--select=priority,note", "--page-size=3",
                filter.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        JsonNode page = first.json();
        assertThat(page.get("rows")).hasSize(3);
        assertThat(page.at("/rows/0/id").asLong()).isEqualTo(open.get(0));
        assertThat(page.at("/rows/0/fields").toString()).isEqualTo("{\"priority\":0,\"note\":\"ünïcode 0\"}");
        String cursor = page.get("nextCursor").asText();
        assertThat(cursor).isNotBlank();

        CliRunner.Result second = run(OPEN, "search", "--tenant=1", "--model=ticket", "--page-size=3", "--cursor=" + cursor, "-");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        JsonNode rest = second.json();
        assertThat(rest.get("rows")).extracting(r -> r.get("id").asLong()).containsExactly(open.get(3), open.get(4));
        assertThat(rest.get("nextCursor").isNull()).isTrue();
        assertThat(rest.at("/rows/0/fields").fieldNames()).toIterable().containsExactly("status", "priority", "note");
    }

    @Test
    void allFollowsCursorsAndPrintsOneRowPerLine() throws Exception {
        CliRunner.Result r = run(OPEN, "search", "--tenant=1", "--model=ticket", "--page-size=2", "--all", "--select=status");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(5);
        List<Long> ids = new ArrayList<>();
        for (String line : lines) {
            JsonNode row = Json.parse(line);
            ids.add(row.get("id").asLong());
            assertThat(row.get("fields").toString()).isEqualTo("{\"status\":\"open\"}");
        }
        assertThat(ids).isEqualTo(open);

        CliRunner.Result everything = run("{}", "search", "--tenant=1", "--model=ticket", "--all");
        assertThat(everything.stdout().lines()).hasSize(6).last().asString().contains("\"id\":" + closed);
    }

    @Test
    void rejectedFiltersPrintTheErrorObjectAndExit2() throws Exception {
        String unknown = "{\"filter\":{\"op\":\"or\",\"args\":[" + OPEN.substring(OPEN.indexOf("{\"op\"") , OPEN.length() - 1)
                + ",{\"op\":\"eq\",\"field\":{\"model\":\"ticket\",\"name\":\"nope\"},\"value\":1}]}}";
        CliRunner.Result r = run(unknown, "search", "--tenant=1", "--model=ticket");
        assertThat(r.exitCode()).isEqualTo(2);
        JsonNode err = r.json();
        assertThat(err.get("valid").asBoolean()).isFalse();
        assertThat(err.get("errorCode").asText()).isEqualTo("field_unknown");
        assertThat(err.get("pointer").asText()).isEqualTo("/filter/args/1/field/name");

        CliRunner.Result notFilterable = run("{\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"ticket\",\"name\":\"note\"},\"value\":\"x\"}}",
                "search", "--tenant=1", "--model=ticket");
        assertThat(notFilterable.exitCode()).isEqualTo(2);
        assertThat(notFilterable.json().get("errorCode").asText()).isEqualTo("field_not_filterable");

        CliRunner.Result mismatch = run("{\"filter\":{\"op\":\"gt\",\"field\":{\"model\":\"ticket\",\"name\":\"priority\"},\"value\":\"2\"}}",
                "search", "--tenant=1", "--model=ticket");
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.stdout().trim()).isEqualTo("{\"valid\":false,\"errorCode\":\"value_type_mismatch\","
                + "\"pointer\":\"/filter/value\",\"details\":{\"expected\":\"int\",\"received\":\"string\"}}");

        CliRunner.Result malformed = run("nope", "search", "--tenant=1", "--model=ticket");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.json().get("errorCode").asText()).isEqualTo("envelope_malformed");
    }

    @Test
    void otherUserErrorsExit2WithAMessage() throws Exception {
        CliRunner.Result model = run(OPEN, "search", "--tenant=1", "--model=nothing");
        assertThat(model.exitCode()).isEqualTo(2);
        assertThat(model.stderr()).contains("no model named 'nothing'");
        CliRunner.Result cursor = run(OPEN, "search", "--tenant=1", "--model=ticket", "--cursor=!!");
        assertThat(cursor.exitCode()).isEqualTo(2);
        assertThat(cursor.stderr()).contains("Cursor decode failed");
        CliRunner.Result size = run(OPEN, "search", "--tenant=1", "--model=ticket", "--page-size=0");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.stderr()).contains("--page-size");
        CliRunner.Result foreign = run(OPEN, "search", "--tenant=3", "--model=ticket");
        assertThat(foreign.exitCode()).isEqualTo(2);
    }

    @Test
    void selectingAnUnknownFieldExits2WithATypedError() throws Exception {
        CliRunner.Result r = run(OPEN, "search", "--tenant=1", "--model=ticket", "--select=priority,nope");
        assertThat(r.exitCode()).as(r.stdout()).isEqualTo(2);
        assertThat(r.json().get("errorCode").asText()).isEqualTo("field_unknown");
        assertThat(r.json().get("pointer").asText()).isEqualTo("/select/1");
    }

    @Test
    void aCursorOfOneFilterIsRefusedWithAnotherFilter() throws Exception {
        String cursor = run(OPEN, "search", "--tenant=1", "--model=ticket", "--page-size=1", "-").json().get("nextCursor").asText();
        CliRunner.Result r = run("{}", "search", "--tenant=1", "--model=ticket", "--cursor=" + cursor, "-");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("issued for another model, filter or sort");
    }

    @Test
    void entryGetAndSearchShowAStoredValueTheSameWay() throws Exception {
        CliRunner.Result got = run("", "entry:get", "--tenant=1", "--id=" + typedEntry);
        assertThat(got.exitCode()).as(got.stderr()).isZero();
        CliRunner.Result found = run("{}", "search", "--tenant=1", "--model=typed", "-");
        assertThat(found.exitCode()).as(found.stderr()).isZero();
        JsonNode expected = Json.parse("{\"count\":12,\"due\":\"2010-01-01 00:00:00\"}");
        assertThat(found.json().at("/rows/0/fields")).isEqualTo(expected);
        assertThat(got.json().get("fields")).isEqualTo(expected);
    }
}
