package io.stardust.cli;

import io.stardust.FieldDeletionInProgressException;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "field:delete", mixinStandardHelpOptions = true,
        description = {"Delete a field: it disappears at once from reads, filters and model:describe, writes drop its",
                "key, its slot is tombstoned; a running Reconciler purges the key from every payload, then the field.",
                "No undelete. The name can be used again when the purge has finished."})
final class FieldDeleteCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    FieldTarget target;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            FieldTarget.Resolved t = target.resolve(engine);
            if (!engine.deleteField(target.tenant(), t.field().fieldId())) {
                // resolved a moment ago: another process started the deletion in between
                throw new FieldDeletionInProgressException("field " + t.label() + " is already being deleted");
            }
            System.out.println("field " + t.label() + " (" + t.field().fieldId() + ") deleted");
            System.out.println("purge checkpoint purge_field_" + t.field().fieldId()
                    + " started; a running Reconciler removes its values from every payload");
            System.out.println("watch it: " + target.statusCommand(t.model()));
        }
        return 0;
    }
}
