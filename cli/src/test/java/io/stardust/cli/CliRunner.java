package io.stardust.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/stardust} as a real process against a test database and captures what it printed. */
final class CliRunner {
    record Result(int exitCode, String stdout, String stderr) {
        /** Stdout as the one JSON document the command printed. */
        JsonNode json() {
            try {
                return Json.parse(stdout.trim());
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + stdout, e);
            }
        }
    }

    private final Map<String, String> env = new HashMap<>();

    CliRunner(TestDatabase db) {
        env.put("STARDUST_DSN", db.jdbcUrl());
        env.put("STARDUST_USER", db.user());
        env.put("STARDUST_PASS", db.password());
    }

    private CliRunner() {
    }

    /** For commands that need no database ({@code filter:check}, {@code --help}): no STARDUST_* at all. */
    static CliRunner withoutDatabase() {
        return new CliRunner();
    }

    CliRunner withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("stardust.repo.root", "..")).toAbsolutePath().normalize();
    }

    Process start(Path stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("bin/stardust").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Only what the test sets: an operator's own STARDUST_* variables must not leak into a test.
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        pb.environment().put("STARDUST_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        return pb.start();
    }

    /** Starts {@code bin/stardust} with stdout and stderr going to files (for long-running daemons). */
    Process startLogged(Path stdout, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("bin/stardust").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        pb.environment().put("STARDUST_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        return pb.start();
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /** Runs with {@code stdin} as the process's standard input (then end of file). */
    Result runWithStdin(byte[] stdin, String... args) throws IOException, InterruptedException {
        Path in = Files.createTempFile("cli-in", ".txt");
        try {
            Files.write(in, stdin);
            return runWithInput(in, args);
        } finally {
            Files.deleteIfExists(in);
        }
    }

    Result runWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process p = start(stdin, args);
        // Drain both streams concurrently so a chatty process never blocks on a full pipe.
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("bin/stardust " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        o.join();
        e.join();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Thread pump(java.io.InputStream in, Path to) {
        Thread t = new Thread(() -> {
            try (in) {
                Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the process went away; what was read is in the file
            }
        });
        t.start();
        return t;
    }
}
