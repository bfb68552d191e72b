package io.stardust.cli;

import io.stardust.DeclaredType;
import io.stardust.FieldLifecycleChange;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "field:retype", mixinStandardHelpOptions = true,
        description = {"Change a field's declared type. Writes coerce to the new type at once; a filterable field gets a",
                "new slot that a running Reconciler backfills from the payloads (values that do not convert become NULL",
                "with a coercion_null event). int/numeric <-> datetime is refused (bridge through string); a field",
                "still being backfilled, renamed or deleted is refused (exit 2). The same type relocates the values."})
final class FieldRetypeCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    FieldTarget target;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "string, int, numeric or datetime.")
    String type;

    @Override
    public Integer call() {
        DeclaredType newType;
        try {
            newType = DeclaredType.parse(type);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--type: " + e.getMessage());
        }
        try (StarDust engine = connection.open()) {
            FieldTarget.Resolved t = target.resolve(engine);
            FieldLifecycleChange change = engine.retypeField(target.tenant(), t.field().fieldId(), newType);
            System.out.println(LifecycleChangeReport.describe("retyped", t, change, target.statusCommand(t.model())));
        }
        return 0;
    }
}
