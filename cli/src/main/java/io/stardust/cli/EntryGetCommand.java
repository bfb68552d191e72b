package io.stardust.cli;

import io.stardust.Entry;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import io.stardust.http.EntryJson;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "entry:get", mixinStandardHelpOptions = true,
        description = "Print one entry as JSON. Exit 2 when it is missing, deleted or another tenant's.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the entry was printed", "1:a failure (e.g. the database is unreachable)", "2:bad input, or the entry is missing, deleted or another tenant's"})
final class EntryGetCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--id", required = true, paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Entry id (a positive integer).")
    long id;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            Optional<Entry> entry = engine.get(tenant, id);
            if (entry.isEmpty()) {
                System.err.println("stardust entry:get: no entry " + id + " for tenant " + tenant);
                return Failures.USAGE;
            }
            System.out.println(Json.write(EntryJson.entry(entry.get())));
        }
        return 0;
    }
}
