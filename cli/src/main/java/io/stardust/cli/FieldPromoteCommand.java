package io.stardust.cli;

import io.stardust.FieldLifecycleChange;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "field:promote", mixinStandardHelpOptions = true,
        description = {"Make a field filterable: it gets an indexed slot that a running Reconciler backfills from the",
                "payloads; filters on it work once the backfill completes (bin/stardust lifecycle:status)."})
final class FieldPromoteCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    FieldTarget target;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            FieldTarget.Resolved t = target.resolve(engine);
            FieldLifecycleChange change = engine.promoteFieldToFilterable(target.tenant(), t.field().fieldId());
            System.out.println(LifecycleChangeReport.describe("promoted", t, change, target.statusCommand(t.model())));
        }
        return 0;
    }
}
