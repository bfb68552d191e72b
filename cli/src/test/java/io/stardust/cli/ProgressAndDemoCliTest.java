package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long commands report progress as plain lines when stderr is not a terminal (here: a pipe), never with carriage
 * returns or escape sequences; the demo keeps its MySQL data and {@code demo --resume} reaches it again.
 */
@ExtendWith(MySqlExtension.class)
class ProgressAndDemoCliTest {
    @TempDir
    Path tmp;

    private static void assertPlain(String stderr) {
        assertThat(stderr).doesNotContain("\r").doesNotContain("\u001b");
    }

    @Test
    void entryWriteReportsProgressOnAPipeAsPlainLinesWithoutCarriageReturnsOrEscapes(TestDatabase db) throws Exception {
        db.reset();
        CliRunner cli = new CliRunner(db);
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=1", "--name=item", "--field=sku:string:filterable", "--provision")
                .exitCode()).isZero();
        Path input = tmp.resolve("items.ndjson");
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= 3000; i++) {
                w.write("{\"sku\":\"sku-" + i + "\"}\n");
            }
        }
        CliRunner.Result file = cli.run("entry:write", "--tenant=1", "--model=item", input.toString());
        assertThat(file.exitCode()).as(file.stderr()).isZero();
        assertThat(file.stdout()).contains("wrote 3000 entries, 0 failed");
        assertPlain(file.stderr());
        assertThat(file.stderr()).containsPattern("(?m)^entry:write: 3000/3000 lines \\(100%\\), \\d+ lines/s$");

        // stdin has no total: a count, never "0/0"
        CliRunner.Result stdin = cli.runWithStdin("{\"sku\":\"a\"}\n{\"sku\":\"b\"}\n".getBytes(StandardCharsets.UTF_8),
                "entry:write", "--tenant=1", "--model=item");
        assertThat(stdin.exitCode()).as(stdin.stderr()).isZero();
        assertPlain(stdin.stderr());
        assertThat(stdin.stderr()).containsPattern("(?m)^entry:write: 2 lines(, \\d+ lines/s)?$").doesNotContain("0/0");
    }

    @Test
    void theDemoKeepsItsDataAndResumeRunsACommandAgainstItWhateverTheEnvironmentSays() throws Exception {
        Path dir = tmp.resolve("demo-data");
        CliRunner cli = CliRunner.withoutDatabase();
        CliRunner.Result demo = cli.run("demo", "--dir=" + dir, "--entries=20");
        assertThat(demo.exitCode()).as(demo.stdout() + demo.stderr()).isZero();
        assertPlain(demo.stderr());
        assertThat(demo.stderr()).contains("demo (durable): 22/22 records (100%)");
        String resume = "bin/stardust demo --dir=" + dir.toAbsolutePath() + " --resume";
        assertThat(demo.stdout()).contains(resume + " ingest:dlq:list").contains("rm -rf " + dir.toAbsolutePath());
        assertThat(dir.resolve("mysql/data")).isDirectory();

        // An operator's own STARDUST_DSN must not redirect the demo's command.
        CliRunner.Result list = CliRunner.withoutDatabase().withEnv("STARDUST_DSN", "jdbc:mysql://127.0.0.1:1/elsewhere")
                .run("demo", "--dir=" + dir, "--resume", "ingest:dlq:list", "--reason=uncoercible_value");
        assertThat(list.exitCode()).as(list.stdout() + list.stderr()).isZero();
        assertThat(list.stdout()).contains("uncoercible_value").contains("'employees'");

        CliRunner.Result usage = cli.run("demo", "--dir=" + dir, "--resume", "model:list", "--tenant=0");
        assertThat(usage.exitCode()).as("the command's own exit code").isEqualTo(2);
        assertThat(usage.stderr()).contains("'--tenant'");

        CliRunner.Result nothingKept = cli.run("demo", "--dir=" + tmp.resolve("elsewhere"), "--resume", "ingest:dlq:list");
        assertThat(nothingKept.exitCode()).isEqualTo(2);
        assertThat(nothingKept.stderr()).contains("no demo data kept in");
    }
}
