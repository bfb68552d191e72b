package io.stardust.cli;

import io.stardust.StarDust;
import io.stardust.engine.access.ApiKeyScope;
import io.stardust.engine.access.CreatedApiKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apikey:create", mixinStandardHelpOptions = true,
        description = {"Create an API key for the HTTP API, bound to one tenant. The key is printed once, on stdout;",
                "only its SHA-256 is stored, so it cannot be shown again (create another and revoke this one)."})
final class ApiKeyCreateCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer): the only tenant the key can act on.")
    long tenant;

    @Option(names = "--name", paramLabel = "N", description = "A label for apikey:list (at most 128 characters).")
    String name;

    @Option(names = "--scopes", paramLabel = "S,S", defaultValue = "read",
            description = "Comma-separated scopes: read (get, list, search, describe), write (entries), export,"
                    + " admin (define models, lifecycle operations). Default: ${DEFAULT-VALUE}.")
    String scopes;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            CreatedApiKey created;
            try {
                created = engine.apiKeys().create(tenant, name, ApiKeyScope.parseList(scopes));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            System.err.println("api key " + created.key().id() + " for tenant " + tenant + " (scopes "
                    + ApiKeyScope.format(created.key().scopes()) + "); it is shown only now:");
            System.out.println(created.secret());
        }
        return 0;
    }
}
