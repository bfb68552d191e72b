package io.stardust.cli;

import io.stardust.ModelSummary;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model:list", mixinStandardHelpOptions = true, description = "List a tenant's models.")
final class ModelListCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            for (ModelSummary m : engine.listModels(tenant)) {
                System.out.println(m.modelId() + "\t" + m.name());
            }
        }
        return 0;
    }
}
