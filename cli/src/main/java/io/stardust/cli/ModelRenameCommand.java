package io.stardust.cli;

import io.stardust.ModelDescription;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model:rename", mixinStandardHelpOptions = true,
        description = {"Rename a model, complete on return (entries, slots and filters are untouched). A name another",
                "model of the tenant has (ignoring case and accents) is refused (exit 2)."})
final class ModelRenameCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    ModelTarget target;

    @Option(names = "--to", required = true, paramLabel = "NAME", description = "The new name (1..128 characters).")
    String to;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            ModelDescription m = target.resolve(engine);
            engine.renameModel(target.tenant, m.modelId(), to);
            System.out.println("model '" + m.name() + "' (" + m.modelId() + ") renamed to '" + to.trim() + "'");
        }
        return 0;
    }
}
