package io.stardust.cli;

import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apikey:revoke", mixinStandardHelpOptions = true,
        description = {"Revoke an API key at once: its next request gets 401. A key that does not exist or is",
                "already revoked exits 2."})
final class ApiKeyRevokeCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--id", required = true, paramLabel = "ID", converter = CanonicalNumberConverter.class,
            description = "The key's id, as apikey:list shows it.")
    long id;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            if (!engine.apiKeys().revoke(id)) {
                throw new UsageException("no active api key with id " + id);
            }
            System.out.println("api key " + id + " revoked");
        }
        return 0;
    }
}
