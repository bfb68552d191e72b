package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code filter:check} reads documents with the same JSON rules as the HTTP API and every other reader: a number of
 * 1000 characters is a value, one more is malformed; duplicate keys and trailing content are malformed.
 */
class FilterStrictJsonCliTest {
    private static String leafWithValue(String value) {
        return "{\"filter\":{\"op\":\"gt\",\"field\":{\"model\":\"m\",\"name\":\"n\"},\"value\":" + value + "}}";
    }

    private static CliRunner.Result check(String document) throws Exception {
        return CliRunner.withoutDatabase().runWithStdin(document.getBytes(StandardCharsets.UTF_8), "filter:check", "-");
    }

    @Test
    void overLongNumbersDuplicateKeysAndTrailingContentAreMalformedLikeEverywhereElse() throws Exception {
        CliRunner.Result longest = check(leafWithValue("0." + "5".repeat(998)));
        assertThat(longest.exitCode()).as(longest.stdout() + longest.stderr()).isZero();

        CliRunner.Result tooLong = check(leafWithValue("1" + "0".repeat(1000)));
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.json().get("errorCode").asText()).isEqualTo("envelope_malformed");

        CliRunner.Result duplicate = check("{\"filter\":{\"op\":\"is_null\",\"op\":\"eq\",\"field\":{\"model\":\"m\",\"name\":\"n\"},\"value\":1}}");
        assertThat(duplicate.exitCode()).isEqualTo(2);
        assertThat(duplicate.json().get("errorCode").asText()).isEqualTo("envelope_malformed");

        CliRunner.Result trailing = check("{} {}");
        assertThat(trailing.exitCode()).isEqualTo(2);
        assertThat(trailing.json().get("errorCode").asText()).isEqualTo("envelope_malformed");
    }
}
