package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/stardust filter:check} as a real process: no database, one JSON object on stdout, exit 0 or 2. */
class FilterCheckCliTest {
    private static final String VALID = "{\"version\":\"1\",\"filter\":{\"op\":\"and\",\"args\":["
            + "{\"op\":\"eq\",\"field\":{\"model\":\"ticket\",\"name\":\"status\"},\"value\":\"open\"},"
            + "{\"op\":\"in\",\"field\":{\"model\":\"ticket\",\"name\":\"priority\"},\"value\":[1,2,2]},"
            + "{\"op\":\"not\",\"arg\":{\"op\":\"is_null\",\"field\":{\"model\":\"ticket\",\"name\":\"due\"}}}]}}";

    @TempDir
    Path dir;

    record Result(int exit, String stdout, String stderr) {
        JsonNode json() {
            try {
                return Json.parse(stdout.trim());
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + stdout, e);
            }
        }
    }

    /** Runs bin/stardust with the given stdin; no database environment at all. */
    private static Result run(byte[] stdin, Map<String, String> env, String... args) throws Exception {
        Path root = Path.of(System.getProperty("stardust.repo.root", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/stardust").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] drain(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void aValidFileprintsTheDecodedTree() throws Exception {
        Result r = run(new byte[0], Map.of(), "filter:check", file("ok.json", VALID.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines()).hasSize(1);
        JsonNode json = r.json();
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.at("/ast/op").asText()).isEqualTo("and");
        assertThat(json.at("/ast/args/1/value").toString()).as("in lists are de-duplicated").isEqualTo("[1,2]");
        assertThat(json.at("/ast/args/2/arg/field/name").asText()).isEqualTo("due");
    }

    @Test
    void stdinAndMatchAll() throws Exception {
        Result r = run("{\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8), Map.of(), "filter:check", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("{\"valid\":true,\"ast\":null}");
        Result implicit = run(VALID.getBytes(StandardCharsets.UTF_8), Map.of(), "filter:check");
        assertThat(implicit.exit()).isZero();
        assertThat(implicit.json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void invalidPayloadsPrintTheErrorObjectAndExit2() throws Exception {
        String nested = "{\"filter\":{\"op\":\"or\",\"args\":[{\"op\":\"eq\",\"field\":{\"model\":\"m\",\"name\":\"a\"},\"value\":1},"
                + "{\"op\":\"like\",\"field\":{\"model\":\"m\",\"name\":\"b\"},\"value\":\"x\"}]}}";
        Result r = run(nested.getBytes(StandardCharsets.UTF_8), Map.of(), "filter:check", "-");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stdout().trim()).isEqualTo("{\"valid\":false,\"errorCode\":\"operator_unknown\","
                + "\"pointer\":\"/filter/args/1/op\",\"details\":{\"received\":\"like\"}}");
    }

    @Test
    void nonJsonEmptyAndInvalidUtf8InputAreMalformedEnvelopes() throws Exception {
        List<byte[]> inputs = List.of("not json".getBytes(StandardCharsets.UTF_8), new byte[0],
                "   \n".getBytes(StandardCharsets.UTF_8), "{\"filter\":".getBytes(StandardCharsets.UTF_8),
                new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'});
        for (int i = 0; i < inputs.size(); i++) {
            Path f = file("bad" + i + ".json", inputs.get(i));
            Result r = run(new byte[0], Map.of(), "filter:check", f.toString());
            assertThat(r.exit()).as("input %d: %s", i, r.stderr()).isEqualTo(2);
            assertThat(r.stdout().trim()).as("input %d", i)
                    .isEqualTo("{\"valid\":false,\"errorCode\":\"envelope_malformed\",\"pointer\":\"\",\"details\":{}}");
        }
    }

    @Test
    void limitsComeFromTheEnvironment() throws Exception {
        Result r = run(VALID.getBytes(StandardCharsets.UTF_8), Map.of("STARDUST_QUERY_FILTER_MAX_PAYLOAD_BYTES", "64"),
                "filter:check");
        assertThat(r.exit()).isEqualTo(2);
        JsonNode json = r.json();
        assertThat(json.get("errorCode").asText()).isEqualTo("value_out_of_bounds");
        assertThat(json.at("/details/limit").asInt()).isEqualTo(64);
        assertThat(json.at("/details/observed").asInt()).isEqualTo(VALID.length());
    }

    @Test
    void anUnreadableFileIsAUsageError() throws Exception {
        Result r = run(new byte[0], Map.of(), "filter:check", dir.resolve("missing.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("cannot read").contains("missing.json");
    }
}
