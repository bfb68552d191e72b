package io.stardust.cli;

import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Create every StarDust table if missing. Idempotent and non-destructive.")
final class BootstrapCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            engine.bootstrap();
            System.out.println("bootstrap complete: schema version " + engine.schemaVersion());
        }
        return 0;
    }
}
