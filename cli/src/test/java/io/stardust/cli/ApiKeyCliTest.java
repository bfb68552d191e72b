package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code apikey:create}, {@code apikey:list} and {@code apikey:revoke} as a real process. */
@ExtendWith(MySqlExtension.class)
class ApiKeyCliTest {
    @Test
    void aKeyIsPrintedOnceListedWithoutItsSecretAndRevokedOnceAndBadScopesAreUsageErrors(TestDatabase db) throws Exception {
        db.reset();
        CliRunner cli = new CliRunner(db);
        assertThat(cli.run("bootstrap").exitCode()).isZero();

        CliRunner.Result created = cli.run("apikey:create", "--tenant=3", "--name=billing", "--scopes=write,read");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String key = created.stdout().trim();
        assertThat(key).startsWith("sdk_").doesNotContain("\n");
        assertThat(created.stderr()).contains("api key 1 for tenant 3 (scopes read,write)");

        CliRunner.Result list = cli.run("apikey:list", "--tenant=3");
        assertThat(list.stdout()).startsWith("1\t3\tread,write\tactive\t").contains("billing").doesNotContain(key);
        assertThat(cli.run("apikey:list", "--tenant=4").stdout()).isEmpty();

        CliRunner.Result badScope = cli.run("apikey:create", "--tenant=3", "--scopes=read,owner");
        assertThat(badScope.exitCode()).isEqualTo(2);
        assertThat(badScope.stderr()).contains("unknown scope 'owner'");
        assertThat(cli.run("apikey:create", "--tenant=0").exitCode()).isEqualTo(2);

        assertThat(cli.run("apikey:revoke", "--id=1").stdout()).contains("api key 1 revoked");
        CliRunner.Result again = cli.run("apikey:revoke", "--id=1");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).contains("no active api key with id 1");
        assertThat(cli.run("apikey:list").stdout()).contains("\trevoked\t");
    }
}
