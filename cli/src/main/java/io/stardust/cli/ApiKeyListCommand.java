package io.stardust.cli;

import io.stardust.StarDust;
import io.stardust.engine.access.ApiKey;
import io.stardust.engine.access.ApiKeyScope;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apikey:list", mixinStandardHelpOptions = true,
        description = {"List API keys (never their secrets), one per line: id, tenant, scopes, state (active or",
                "revoked), created, name."})
final class ApiKeyListCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Only this tenant's keys (default: every tenant's).")
    Long tenant;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            for (ApiKey k : engine.apiKeys().list(tenant)) {
                System.out.println(k.id() + "\t" + k.tenantId() + "\t" + ApiKeyScope.format(k.scopes()) + "\t"
                        + (k.active() ? "active" : "revoked") + "\t" + k.createdAt() + "\t"
                        + (k.name() == null ? "" : k.name()));
            }
        }
        return 0;
    }
}
