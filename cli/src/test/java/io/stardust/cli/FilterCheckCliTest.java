package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /** Runs bin/stardust with the given stdin and extra environment; no database environment at all. */
    private static CliRunner.Result run(byte[] stdin, Map<String, String> env, String... args) throws Exception {
        CliRunner cli = CliRunner.withoutDatabase();
        env.forEach(cli::withEnv);
        return cli.runWithStdin(stdin, args);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void aValidFileprintsTheDecodedTree() throws Exception {
        CliRunner.Result r = run(new byte[0], Map.of(), "filter:check", file("ok.json", VALID.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines()).hasSize(1);
        JsonNode json = r.json();
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.at("/ast/op").asText()).isEqualTo("and");
        assertThat(json.at("/ast/args/1/value").toString()).as("in lists are de-duplicated").isEqualTo("[1,2]");
        assertThat(json.at("/ast/args/2/arg/field/name").asText()).isEqualTo("due");
    }

    @Test
    void stdinAndMatchAll() throws Exception {
        CliRunner.Result r = run("{\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8), Map.of(), "filter:check", "-");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("{\"valid\":true,\"ast\":null}");
        CliRunner.Result implicit = run(VALID.getBytes(StandardCharsets.UTF_8), Map.of(), "filter:check");
        assertThat(implicit.exitCode()).isZero();
        assertThat(implicit.json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void invalidPayloadsPrintTheErrorObjectAndExit2() throws Exception {
        String nested = "{\"filter\":{\"op\":\"or\",\"args\":[{\"op\":\"eq\",\"field\":{\"model\":\"m\",\"name\":\"a\"},\"value\":1},"
                + "{\"op\":\"like\",\"field\":{\"model\":\"m\",\"name\":\"b\"},\"value\":\"x\"}]}}";
        CliRunner.Result r = run(nested.getBytes(StandardCharsets.UTF_8), Map.of(), "filter:check", "-");
        assertThat(r.exitCode()).isEqualTo(2);
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
            CliRunner.Result r = run(new byte[0], Map.of(), "filter:check", f.toString());
            assertThat(r.exitCode()).as("input %d: %s", i, r.stderr()).isEqualTo(2);
            assertThat(r.stdout().trim()).as("input %d", i)
                    .isEqualTo("{\"valid\":false,\"errorCode\":\"envelope_malformed\",\"pointer\":\"\",\"details\":{}}");
        }
    }

    @Test
    void limitsComeFromTheEnvironment() throws Exception {
        CliRunner.Result r = run(VALID.getBytes(StandardCharsets.UTF_8), Map.of("STARDUST_QUERY_FILTER_MAX_PAYLOAD_BYTES", "64"),
                "filter:check");
        assertThat(r.exitCode()).isEqualTo(2);
        JsonNode json = r.json();
        assertThat(json.get("errorCode").asText()).isEqualTo("value_out_of_bounds");
        assertThat(json.at("/details/limit").asInt()).isEqualTo(64);
        assertThat(json.at("/details/observed").asInt()).isEqualTo(VALID.length());
    }

    @Test
    void anUnreadableFileIsAUsageError() throws Exception {
        CliRunner.Result r = run(new byte[0], Map.of(), "filter:check", dir.resolve("missing.json").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("cannot read").contains("missing.json");
    }
}
