package io.stardust.cli;

import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "field:rename", mixinStandardHelpOptions = true,
        description = {"Rename a field. Reads, filters and writes use the new name at once (writes that send the old",
                "key are stored under the new one); a running Reconciler moves the values in every payload. A name",
                "another field has is refused (exit 2)."})
final class FieldRenameCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    FieldTarget target;

    @Option(names = "--to", required = true, paramLabel = "NAME", description = "The new name (1..128 characters).")
    String to;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            FieldTarget.Resolved t = target.resolve(engine);
            engine.renameField(target.tenant(), t.field().fieldId(), to);
            System.out.println("field " + t.label() + " (" + t.field().fieldId() + ") renamed to '" + to.trim() + "'");
            System.out.println("rewrite checkpoint rename_field_" + t.field().fieldId()
                    + " started; a running Reconciler moves the values in every payload");
            System.out.println("watch it: " + target.statusCommand(t.model()));
        }
        return 0;
    }
}
