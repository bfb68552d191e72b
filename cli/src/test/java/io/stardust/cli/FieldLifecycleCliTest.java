package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.EntryPayload;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field lifecycle commands as real processes, sharing one database (each test its own tenant): every command's
 * happy path, its typed refusals (exit 2, one line), and one retype end to end under a running Watcher and
 * Reconciler.
 */
@ExtendWith(MySqlExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FieldLifecycleCliTest {
    private final TestDatabase db;
    private final List<Process> daemons = new ArrayList<>();

    @TempDir
    static Path dir;

    FieldLifecycleCliTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void bootstrap() throws Exception {
        db.reset();
        assertThat(cli().run("bootstrap").exitCode()).isZero();
    }

    @AfterEach
    void stopDaemons() throws Exception {
        for (Process p : daemons) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        daemons.clear();
    }

    private CliRunner cli() {
        return new CliRunner(db).withEnv("STARDUST_ARTIFACT_DIR", dir.resolve("artifacts").toString());
    }

    private CliRunner.Result ok(String... args) throws Exception {
        CliRunner.Result r = cli().run(args);
        assertThat(r.exitCode()).as("%s%n%s%s", String.join(" ", args), r.stdout(), r.stderr()).isZero();
        return r;
    }

    /** Exit 2 with exactly one line on stderr, naming the command. */
    private String refused(String... args) throws Exception {
        CliRunner.Result r = cli().run(args);
        assertThat(r.exitCode()).as("%s%n%s%s", String.join(" ", args), r.stdout(), r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).startsWith("stardust " + args[0] + ": ");
        return r.stderr().strip();
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private void startDaemon(String name) throws Exception {
        daemons.add(cli().withEnv("STARDUST_PID_FILE_DIR", dir.resolve("run").toString())
                .withEnv("STARDUST_RECONCILER_CHUNK_SIZE", "2")
                .withEnv("STARDUST_WATCHER_POLL_INTERVAL_SECONDS", "1")
                .startLogged(dir.resolve(name + ".out"), dir.resolve(name + ".err"), name));
    }

    @Test
    void aRetypeAndAnImportRunToCompletionUnderTheDaemonsAndSearchUsesTheNewType() throws Exception {
        ok("model:define", "--tenant=1", "--name=company", "--field=code:string:filterable", "--field=name:string",
                "--provision");
        ok("entry:write", "--tenant=1", "--model=company", file("companies.ndjson",
                "{\"code\":\"1\",\"name\":\"a\"}\n{\"code\":\"2\",\"name\":\"b\"}\n{\"code\":\"x\",\"name\":\"c\"}\n"
                        + "{\"code\":\"4\",\"name\":\"d\"}\n{\"code\":\"5\",\"name\":\"e\"}\n").toString());
        long jobId;
        try (StarDust engine = StarDust.connect(StarDustConfig.of(db.jdbcUrl(), db.user(), db.password())
                .withArtifactDir(dir.resolve("artifacts")))) {
            int model = engine.findModel(1, "company").orElseThrow().modelId();
            List<EntryPayload> payloads = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                payloads.add(EntryPayload.of(1, model, Map.of("code", "10" + i, "name", "imported")));
            }
            jobId = engine.submitBulkWrite(1, payloads, "import-1");
        }
        assertThat(ok("import:status", "--tenant=1", "--id=" + jobId).stdout())
                .startsWith("import job " + jobId + " (tenant 1): pending, 0/5 entries written in 0 chunk(s)");

        CliRunner.Result retype = ok("field:retype", "--tenant=1", "--model=company", "--field=code", "--type=int");
        assertThat(retype.stdout()).contains("field company.code").contains("string:filterable -> int:filterable")
                .contains("backfill checkpoint retype_field_")
                .contains("bin/stardust lifecycle:status --tenant=1 --model=company");
        assertThat(ok("model:describe", "--tenant=1", "--name=company").stdout()).containsPattern("code +int .*retyping string->int 0%");
        JsonNode running = ok("lifecycle:status", "--tenant=1", "--json").json().get("checkpoints").get(0);
        assertThat(running.get("operation").asText()).isEqualTo("retype");
        assertThat(running.get("status").asText()).isEqualTo("running");

        startDaemon("watcher"); // no indexed int column is free: the Watcher provisions one for the retype
        startDaemon("reconciler");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode cp = ok("lifecycle:status", "--tenant=1", "--model=company", "--json").json().get("checkpoints").get(0);
            assertThat(cp.get("status").asText()).isEqualTo("completed");
            assertThat(ok("import:status", "--tenant=1", "--id=" + jobId).stdout()).contains(": completed");
        });

        JsonNode done = ok("lifecycle:status", "--tenant=1", "--model=company", "--json").json().get("checkpoints").get(0);
        assertThat(done.get("percent").asInt()).isEqualTo(100);
        assertThat(done.get("coercionNulls").asInt()).as("'x' does not convert to int").isEqualTo(1);
        assertThat(done.get("cursor").asLong()).isPositive();
        assertThat(ok("lifecycle:status", "--tenant=1").stdout()).containsPattern("retype_field_\\d+ +retype +company +code +completed");
        assertThat(ok("model:describe", "--tenant=1", "--name=company").stdout()).containsPattern("code +int +true +true .* ready +-");

        Path filter = file("code4.json", "{\"version\":\"1\",\"filter\":{\"op\":\"gte\",\"field\":{\"model\":\"company\","
                + "\"name\":\"code\"},\"value\":100}}");
        JsonNode rows = ok("search", "--tenant=1", "--model=company", "--select=code", filter.toString()).json().get("rows");
        assertThat(rows).as("the imported entries, by the new int slot").hasSize(5);

        JsonNode job = ok("import:status", "--tenant=1", "--id=" + jobId, "--json").json();
        assertThat(job.get("entriesWritten").asInt()).isEqualTo(5);
        assertThat(job.get("chunkManifest")).hasSize(3);
        assertThat(job.get("chunkManifest").get(0).get("outcome").asText()).isEqualTo("committed");
        assertThat(ok("import:status", "--tenant=1", "--id=" + jobId).stdout()).containsPattern("(?m)^2 +1 +committed");
        assertThat(refused("import:status", "--tenant=2", "--id=" + jobId)).endsWith("tenant 2 has no import job " + jobId);
    }

    @Test
    void refusedChangesExitTwoWithOneLineSayingWhyAndChangeNothing() throws Exception {
        ok("model:define", "--tenant=2", "--name=m", "--field=n:int:filterable", "--field=s:string", "--field=d:datetime",
                "--provision");
        ok("model:define", "--tenant=2", "--name=other");

        assertThat(refused("field:retype", "--tenant=2", "--model=m", "--field=n", "--type=datetime"))
                .contains("cannot be retyped from int to datetime").contains("bridge through a string field");
        assertThat(refused("field:retype", "--tenant=2", "--model=m", "--field=nope", "--type=int"))
                .endsWith("model 'm' of tenant 2 has no field 'nope' (its fields: n, s, d; names are spelled as registered)");
        assertThat(refused("field:retype", "--tenant=2", "--model=m", "--field=n", "--type=bogus"))
                .contains("--type: unknown declared type 'bogus'");
        assertThat(refused("field:promote", "--tenant=2", "--model=nope", "--field=n"))
                .endsWith("tenant 2 has no model named 'nope'");
        assertThat(refused("field:rename", "--tenant=2", "--model=m", "--field=n", "--to=S"))
                .contains("already has a field named");
        assertThat(refused("model:rename", "--tenant=2", "--model=m", "--to=OTHER")).contains("already has a model named 'OTHER'");

        ok("field:promote", "--tenant=2", "--model=m", "--field=s"); // no Reconciler runs: the backfill stays running
        assertThat(refused("field:retype", "--tenant=2", "--model=m", "--field=s", "--type=int"))
                .contains("still being backfilled");
        assertThat(refused("model:delete", "--tenant=2", "--model=m")).contains("being backfilled by a retype");

        String conflict = refused("model:define", "--tenant=2", "--name=m", "--field=n:string");
        assertThat(conflict).isEqualTo("stardust model:define: --field=n:string: field 'n' of model 'm' already exists as"
                + " n:int:filterable; model:define never changes a field, run: bin/stardust field:retype --tenant=2"
                + " --model=m --field=n --type=string, then bin/stardust field:demote --tenant=2 --model=m --field=n");
        assertThat(refused("model:define", "--tenant=2", "--name=m", "--field=d:datetime:filterable"))
                .endsWith("run: bin/stardust field:promote --tenant=2 --model=m --field=d");
        assertThat(ok("model:define", "--tenant=2", "--name=m", "--field=n:int:filterable").stdout())
                .as("nothing differs: idempotent").startsWith("model m id=");
        assertThat(ok("model:describe", "--tenant=2", "--name=m", "--json").json().get("fields").get(0).get("type").asText())
                .isEqualTo("int");
    }

    @Test
    void demoteRenameAndDeleteShowTheirLifecycleStateAndDeletionsRefuseWhatComesAfter() throws Exception {
        ok("model:define", "--tenant=3", "--name=shop", "--field=a:string:filterable", "--field=b:string",
                "--field=c:int:filterable", "--provision");
        ok("model:define", "--tenant=3", "--name=gone", "--field=x:string");
        ok("entry:write", "--tenant=3", "--model=shop", file("shop.ndjson", "{\"a\":\"1\",\"b\":\"2\",\"c\":3}\n").toString());

        assertThat(ok("field:demote", "--tenant=3", "--model=shop", "--field=c").stdout())
                .contains("int:filterable -> int").contains("tombstoned").contains("complete: the field is JSON-only");
        assertThat(ok("field:rename", "--tenant=3", "--model=shop", "--field=a", "--to=alpha").stdout())
                .contains("renamed to 'alpha'").contains("rename_field_");
        assertThat(ok("field:delete", "--tenant=3", "--model=shop", "--field=b").stdout())
                .contains("field shop.b").contains("purge_field_");

        String table = ok("model:describe", "--tenant=3", "--name=shop").stdout();
        assertThat(table).containsPattern("alpha +string .*renamed from 'a', rewriting 0%")
                .containsPattern("c +int +false +false +- +json-only +-")
                .containsPattern("(?m)^b +- .*deleting 0%");
        JsonNode described = ok("model:describe", "--tenant=3", "--name=shop", "--json").json();
        assertThat(described.get("fields").get(0).get("lifecycle").get("operation").asText()).isEqualTo("rename");
        assertThat(described.get("fields").get(0).get("lifecycle").get("previousName").asText()).isEqualTo("a");
        assertThat(described.get("fields").get(1).get("lifecycle").isNull()).isTrue();
        assertThat(described.get("fieldsBeingDeleted").get(0).get("field").asText()).isEqualTo("b");

        assertThat(refused("field:retype", "--tenant=3", "--model=shop", "--field=b", "--type=int"))
                .contains("field 'b' of model 'shop' is being deleted");
        assertThat(refused("model:define", "--tenant=3", "--name=shop", "--field=b:string")).contains("is being deleted");
        assertThat(refused("field:promote", "--tenant=3", "--model=shop", "--field=alpha")).contains("still being renamed");
        assertThat(refused("model:delete", "--tenant=3", "--model=shop")).contains("still being renamed");

        assertThat(ok("model:rename", "--tenant=3", "--model=gone", "--to=doomed").stdout())
                .isEqualTo("model 'gone' (" + modelId("doomed") + ") renamed to 'doomed'\n");
        assertThat(ok("model:delete", "--tenant=3", "--model=doomed").stdout()).contains("purge_model_");
        assertThat(refused("model:define", "--tenant=3", "--name=doomed")).contains("is being deleted");
        assertThat(refused("model:describe", "--tenant=3", "--name=doomed")).contains("is being deleted");
        assertThat(refused("model:delete", "--tenant=3", "--model=doomed")).contains("is being deleted");
        assertThat(ok("lifecycle:status", "--tenant=3", "--model=doomed").stdout())
                .containsPattern("purge_model_\\d+ +delete_model +doomed +- +running");
        JsonNode all = ok("lifecycle:status", "--tenant=3", "--json").json().get("checkpoints");
        assertThat(all).extracting(n -> n.get("operation").asText())
                .containsExactlyInAnyOrder("rename", "delete_field", "delete_model");
        assertThat(ok("lifecycle:status", "--tenant=9").stdout().strip()).isEqualTo("no lifecycle checkpoints for tenant 9");
    }

    @Test
    void reportsShowSpreadAndCardinalityAndCompactionPlansOrRefuses() throws Exception {
        assertThat(ok("spread:report", "--tenant=4").stdout().strip())
                .isEqualTo("no model has a live filterable slot (tenant 4)");
        ok("model:define", "--tenant=4", "--name=wide", "--field=p:string:filterable", "--provision");
        ok("model:define", "--tenant=4", "--name=wide", "--field=q:string:filterable", "--provision");
        ok("entry:write", "--tenant=4", "--model=wide", file("wide.ndjson", "{\"p\":\"1\",\"q\":\"1\"}\n").toString());

        JsonNode spread = ok("spread:report", "--tenant=4", "--model=wide", "--json").json().get("models");
        assertThat(spread).hasSize(1);
        assertThat(spread.get(0).get("model").asText()).isEqualTo("wide");
        assertThat(spread.get(0).get("liveSlots").asInt()).isEqualTo(2);
        assertThat(spread.get(0).get("theoreticalMinPages").asInt()).isEqualTo(1);
        assertThat(ok("spread:report", "--tenant=4").stdout()).containsPattern("4 +wide +\\d+ +1 ");

        JsonNode slots = ok("cardinality:report", "--tenant=4", "--model=wide", "--json").json().get("slots");
        assertThat(slots).extracting(n -> n.get("field").asText()).containsExactly("p", "q");
        assertThat(slots.get(0).get("rowCount").asInt()).isEqualTo(1);
        assertThat(slots.get(0).get("thresholdViolated").get(0).asText()).isEqualTo("distinct_floor");
        assertThat(ok("cardinality:report", "--tenant=4").stdout()).contains("low cardinality (distinct_floor)");
        assertThat(refused("cardinality:report", "--model=wide")).endsWith("--model needs --tenant (model names are per tenant)");

        // --provision indexes only the columns it needs, so q went to a second page and the first has no free
        // indexed string column: no smaller set of pages fits, exit 1 as any capacity problem
        assertThat(spread.get(0).get("pagesOccupied").asInt()).isEqualTo(2);
        CliRunner.Result dry = cli().run("compact:model", "--tenant=4", "--model=wide", "--dry-run");
        assertThat(dry.exitCode()).as(dry.stderr()).isEqualTo(1);
        assertThat(dry.stderr()).startsWith("stardust compact:model: error: model ").contains("Nothing was mutated");
        assertThat(refused("compact:model", "--tenant=4", "--model=nope")).endsWith("tenant 4 has no model named 'nope'");
    }

    private int modelId(String name) throws Exception {
        return ok("model:describe", "--tenant=3", "--name=" + name, "--json").json().get("modelId").asInt();
    }
}
