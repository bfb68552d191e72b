package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the documentation's examples as written: every shell ({@code bash}, {@code sh}) block of the listed
 * documents that calls {@code bin/stardust}, {@code java} or {@code curl}, in document order, each on a fresh,
 * bootstrapped database (an example must not depend on another). A {@code java} block with a {@code main} is first
 * written to {@code <Class>.java} so that a shell block can run it. A block that cannot run here says so in the
 * document itself, in an HTML comment {@code <!-- docs-test: skip (why) -->} on the line before it.
 *
 * <p>The documents address MySQL as {@code 127.0.0.1:3306} with user {@code app} / password {@code secret}, Kafka
 * as {@code 127.0.0.1:9092} and the HTTP API as {@code localhost:8080}; this test creates that user on the test
 * server and rewrites only those addresses, to the test servers' ports and a free HTTP port. Nothing else in a
 * block is changed. Every block runs with the environment the README's session exports ({@code STARDUST_DSN},
 * {@code STARDUST_USER}, {@code STARDUST_PASS}) plus {@code STARDUST_KAFKA_BOOTSTRAP} and
 * {@code STARDUST_HTTP_PORT}, in a working directory shared by the blocks of a run.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class DocsExamplesTest {
    /** The documents whose examples must run; any other document with a runnable block fails the coverage test. */
    private static final List<String> DOCUMENTS = List.of("README.md", "docs/daemons.md", "docs/search.md",
            "ingest-gateway/README.md", "http-api/README.md", "registry-mirror/README.md", "docs/schema-changes.md",
            "compose/README.md", "docs/operations.md");
    /** The connection an operator following the documents has exported (the README's session does it first). */
    private static final String DOCS_DSN = "jdbc:mysql://127.0.0.1:3306/app?createDatabaseIfNotExist=true";
    private static final List<String> SHELL_FENCES = List.of("```bash", "```sh", "```shell");
    private static final String SKIP_MARK = "<!-- docs-test: skip";
    private static final long BLOCK_TIMEOUT_SECONDS = 180;
    private static final Pattern PROGRAM_CLASS = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)");

    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    @TempDir
    static Path workDir;
    private static int httpPort;

    DocsExamplesTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeAll
    static void linkTheLauncherIntoTheWorkingDirectory() throws IOException {
        // Examples say bin/stardust and cli/target/...: give them a working directory where those resolve, so
        // the files they write stay out of the repository.
        Files.createSymbolicLink(workDir.resolve("bin"), CliRunner.repoRoot().resolve("bin"));
        Files.createSymbolicLink(workDir.resolve("cli"), CliRunner.repoRoot().resolve("cli"));
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRunnableBlockOfEveryDocumentRunsAsWritten() {
        return DOCUMENTS.stream().map(doc -> DynamicTest.dynamicTest(doc, () -> {
            writeJavaPrograms(doc);
            for (Block block : runnableBlocks(doc)) {
                resetDocumentDatabase();
                run(block);
            }
        }));
    }

    @Test
    void noOtherDocumentHasExamplesThatGoUntested() throws IOException {
        List<String> untested = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CliRunner.repoRoot())) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")).toList()) {
                String rel = CliRunner.repoRoot().relativize(md).toString();
                if (!DOCUMENTS.contains(rel) && !runnableBlocks(rel).isEmpty()) {
                    untested.add(rel);
                }
            }
        }
        assertThat(untested).as("documents with shell examples that this test does not run").isEmpty();
    }

    private void run(Block block) throws Exception {
        Path script = workDir.resolve("block.sh");
        Files.writeString(script, rewriteAddresses(block.text()), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", script.toString())
                .directory(workDir.toFile())
                .redirectOutput(workDir.resolve("block.out").toFile())
                .redirectError(workDir.resolve("block.err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().put("STARDUST_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        pb.environment().put("STARDUST_DSN", rewriteAddresses(DOCS_DSN));
        pb.environment().put("STARDUST_USER", "app");
        pb.environment().put("STARDUST_PASS", "secret");
        pb.environment().put("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        pb.environment().put("STARDUST_HTTP_PORT", Integer.toString(httpPort));
        Process p = pb.start();
        boolean finished = p.waitFor(BLOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(workDir.resolve("block.out"));
        String err = Files.readString(workDir.resolve("block.err"));
        assertThat(finished && p.exitValue() == 0)
                .as("%s line %d exited %s%n--- block ---%n%s%n--- stdout ---%n%s%n--- stderr ---%n%s",
                        block.document(), block.line(), finished ? p.exitValue() : "(timed out)", block.text(), out, err)
                .isTrue();
    }

    /** A document's Java blocks that have a {@code main} become {@code <Class>.java} for its bash blocks to run. */
    private void writeJavaPrograms(String document) throws IOException {
        List<String> lines = Files.readAllLines(CliRunner.repoRoot().resolve(document), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (i = i + 1; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            Matcher m = PROGRAM_CLASS.matcher(text);
            if (m.find() && text.indexOf("static void main(") >= 0) {
                Files.writeString(workDir.resolve(m.group(1) + ".java"), rewriteAddresses(text.toString()),
                        StandardCharsets.UTF_8);
            }
        }
    }

    private String rewriteAddresses(String text) {
        return text.replace("127.0.0.1:3306", "127.0.0.1:" + db.server().port())
                .replace("127.0.0.1:9092", kafka.bootstrapServers())
                .replace("localhost:8080", "localhost:" + httpPort);
    }

    /** A fresh, bootstrapped documents' database and the documents' user, as an operator would have them. */
    private void resetDocumentDatabase() throws Exception {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS app");
            s.execute("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'secret'");
            s.execute("GRANT ALL ON *.* TO 'app'@'%'");
        }
        try (StarDust engine = StarDust.connect(StarDustConfig.of(rewriteAddresses(DOCS_DSN), "app", "secret"))) {
            engine.bootstrap();
        }
    }

    record Block(String document, int line, String text) {
    }

    /** The document's shell blocks that call a program, without those marked as skipped. */
    static List<Block> runnableBlocks(String document) throws IOException {
        List<String> lines = Files.readAllLines(CliRunner.repoRoot().resolve(document), StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!SHELL_FENCES.contains(lines.get(i).strip())) {
                continue;
            }
            boolean skipped = i > 0 && lines.get(i - 1).strip().startsWith(SKIP_MARK);
            int start = i + 1;
            StringBuilder text = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (!skipped && callsAProgram(text.toString())) {
                blocks.add(new Block(document, start, text.toString()));
            }
        }
        return blocks;
    }

    private static boolean callsAProgram(String text) {
        return text.lines().map(String::strip)
                .anyMatch(l -> l.startsWith("bin/") || l.startsWith("java ") || l.startsWith("curl ")
                        || l.contains("| bin/") || l.contains("$(bin/"));
    }
}
