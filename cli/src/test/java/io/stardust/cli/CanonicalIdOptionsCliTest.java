package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every id and count option is parsed one way, {@code [1-9][0-9]*} within 64 bits: {@code +1}, {@code 01},
 * fullwidth digits and the like are usage errors (exit 2) naming the option, before any database is needed.
 */
class CanonicalIdOptionsCliTest {
    private final CliRunner cli = CliRunner.withoutDatabase();

    private record Case(String option, List<String> args) {
    }

    @Test
    void idAndCountOptionsRejectNonCanonicalNumbersAsUsageErrorsNamingTheOption() throws Exception {
        List<Case> cases = List.of(
                new Case("--tenant", List.of("entry:get", "--tenant=+1", "--id=1")),
                new Case("--id", List.of("entry:get", "--tenant=1", "--id=01")),
                new Case("--tenant", List.of("model:list", "--tenant=\uFF11")),
                new Case("--tenant", List.of("model:define", "--tenant=0", "--name=m")),
                new Case("--tenant", List.of("entry:write", "--tenant=9223372036854775808", "--model=m")),
                new Case("--page-size", List.of("search", "--tenant=1", "--model=m", "--page-size=1.0")),
                new Case("--limit", List.of("reconciler:dlq:list", "--limit=-1")),
                new Case("--tenant", List.of("reconciler:dlq:replay", "--tenant= 7")),
                new Case("--id", List.of("reconciler:dlq:replay", "--id=0")),
                new Case("--entries", List.of("demo", "--entries=+5")));
        for (Case c : cases) {
            CliRunner.Result r = cli.run(c.args().toArray(String[]::new));
            assertThat(r.exitCode()).as(c.args() + ": " + r.stderr()).isEqualTo(2);
            assertThat(r.stderr()).as(c.args().toString()).contains("Invalid value for option '" + c.option() + "'")
                    .contains("[1-9][0-9]*");
            assertThat(r.stdout()).isEmpty();
        }
    }
}
