package io.stardust.cli;

import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelDescription;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "model:delete", mixinStandardHelpOptions = true,
        description = {"Delete a model and all its entries: it goes dark at once (reads empty, writes refused); a",
                "running Reconciler hard-deletes its entries in chunks, then the model. No undelete. Refused while",
                "one of its fields is being retyped, renamed or deleted (exit 2)."})
final class ModelDeleteCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    ModelTarget target;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            ModelDescription m = target.resolve(engine);
            if (!engine.deleteModel(target.tenant, m.modelId())) {
                // resolved a moment ago: another process started the deletion in between
                throw new ModelDeletionInProgressException("model '" + m.name() + "' is already being deleted");
            }
            System.out.println("model '" + m.name() + "' (" + m.modelId() + ") deleted");
            System.out.println("purge checkpoint purge_model_" + m.modelId()
                    + " started; a running Reconciler deletes its entries, then the model");
            System.out.println("watch it: bin/stardust lifecycle:status --tenant=" + target.tenant);
        }
        return 0;
    }
}
