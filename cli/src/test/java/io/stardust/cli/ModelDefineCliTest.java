package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code model:define} as a real process: wide models are fully provisioned, conflicts and bad names are usage errors. */
@ExtendWith(MySqlExtension.class)
class ModelDefineCliTest {
    private final TestDatabase db;
    private final CliRunner cli;

    ModelDefineCliTest(TestDatabase db) {
        this.db = db;
        this.cli = new CliRunner(db);
    }

    @BeforeEach
    void bootstrap() throws Exception {
        db.reset();
        assertThat(cli.run("bootstrap").exitCode()).isZero();
    }

    @Test
    void provisionGivesEachOfSixtyFilterableFieldsOfMixedTypesAnIndexedSlot() throws Exception {
        List<String> args = new ArrayList<>(List.of("model:define", "--tenant=1", "--name=wide", "--provision"));
        String[] types = {"string", "string", "int", "numeric", "datetime"};
        for (int i = 1; i <= 60; i++) {
            args.add("--field=f" + i + ":" + types[i % types.length] + ":filterable");
        }
        args.add("--field=note:string");
        CliRunner.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().filter(l -> l.startsWith("reserved page "))).hasSize(60);

        JsonNode described = cli.run("model:describe", "--tenant=1", "--name=wide", "--json").json();
        Set<String> slots = new HashSet<>();
        for (JsonNode f : described.get("fields")) {
            boolean filterable = f.get("filterable").asBoolean();
            assertThat(f.get("indexed").asBoolean()).as(f.toString()).isEqualTo(filterable);
            if (filterable) {
                assertThat(slots.add(f.get("pageId").asInt() + "." + f.get("slotColumn").asText())).as(f.toString()).isTrue();
            }
        }
        assertThat(slots).hasSize(60);
        // 12 numeric and 12 datetime fields need a second page (10 of each per page)
        assertThat(query("SELECT COUNT(*) FROM stardust_pages")).isEqualTo("2|");

        CliRunner.Result again = cli.run(args.toArray(String[]::new));
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("every filterable field already holds a slot");
    }

    @Test
    void conflictingFieldDefinitionsExitTwoNamingTheConflictAndRegisterNothing() throws Exception {
        CliRunner.Result twice = cli.run("model:define", "--tenant=1", "--name=company", "--field=a:string", "--field=a:int");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.stderr().strip()).isEqualTo(
                "stardust model:define: --field=a:string and --field=a:int define one field twice, differently");
        CliRunner.Result spelling = cli.run("model:define", "--tenant=1", "--name=company", "--field=Name:string",
                "--field=name:int");
        assertThat(spelling.exitCode()).isEqualTo(2);
        assertThat(spelling.stderr()).contains("--field=Name:string and --field=name:int");
        assertThat(query("SELECT COUNT(*) FROM stardust_models")).isEqualTo("0|");

        String[] define = {"model:define", "--tenant=1", "--name=company", "--field=name:string:filterable", "--field=size:int"};
        assertThat(cli.run(define).exitCode()).isZero();
        String registry = registry();
        for (String changed : List.of("--field=name:int:filterable", "--field=name:string", "--field=size:int:filterable")) {
            CliRunner.Result r = cli.run("model:define", "--tenant=1", "--name=company", "--field=city:string", changed);
            assertThat(r.exitCode()).as(changed).isEqualTo(2);
            assertThat(r.stderr().strip().lines()).as(r.stderr()).hasSize(1);
            assertThat(r.stderr()).contains(changed).contains("already exists as")
                    .contains("model:define never changes a field, run: bin/stardust field:");
        }
        CliRunner.Result respelled = cli.run("model:define", "--tenant=1", "--name=company", "--field=NAME:string:filterable");
        assertThat(respelled.exitCode()).isEqualTo(2);
        assertThat(respelled.stderr()).contains("already has this field, spelled 'name'");
        assertThat(registry()).as("nothing changed, not even city").isEqualTo(registry);

        CliRunner.Result same = cli.run(define);
        assertThat(same.exitCode()).as(same.stderr()).isZero();
        assertThat(registry()).isEqualTo(registry);
    }

    @Test
    void validationErrorsExitTwoWithOneLineAndOnlyInfrastructureErrorsExitOne() throws Exception {
        CliRunner.Result longName = cli.run("model:define", "--tenant=1", "--name=" + "n".repeat(200), "--field=a:int");
        assertThat(longName.exitCode()).isEqualTo(2);
        assertThat(longName.stderr().strip().lines()).as(longName.stderr()).hasSize(1);
        assertThat(longName.stderr()).startsWith("stardust model:define: model name")
                .contains("200 characters long; at most 128");
        CliRunner.Result longField = cli.run("model:define", "--tenant=1", "--name=m", "--field=" + "f".repeat(129) + ":int");
        assertThat(longField.exitCode()).isEqualTo(2);
        assertThat(longField.stderr()).contains("field name");

        CliRunner.Result tenantZero = cli.runWithStdin("{\"a\":1}\n".getBytes(), "entry:write", "--tenant=0", "--model=m");
        assertThat(tenantZero.exitCode()).isEqualTo(2);
        assertThat(tenantZero.stderr()).contains("'--tenant'").contains("'0'");

        CliRunner.Result noDatabase = new CliRunner(db).withEnv("STARDUST_DSN", "jdbc:mysql://127.0.0.1:1/nope")
                .run("model:define", "--tenant=1", "--name=m");
        assertThat(noDatabase.exitCode()).isEqualTo(1);
        assertThat(noDatabase.stderr()).startsWith("stardust model:define: error:");
    }

    private String registry() throws Exception {
        return query("SELECT id, tenant_id, name FROM stardust_models ORDER BY id")
                + query("SELECT id, model_id, name, declared_type, is_filterable FROM stardust_fields ORDER BY id")
                + query("SELECT version FROM stardust_schema_version");
    }

    private String query(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
            }
        }
        return out.toString().strip();
    }
}
