package io.stardust.cli;

import io.stardust.FieldLifecycleChange;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "field:demote", mixinStandardHelpOptions = true,
        description = {"Make a field JSON-only, complete on return: its slot is tombstoned (the Liberator reclaims it),",
                "filters on it are refused and reads take it from the payload."})
final class FieldDemoteCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    FieldTarget target;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            FieldTarget.Resolved t = target.resolve(engine);
            FieldLifecycleChange change = engine.demoteFieldFromFilterable(target.tenant(), t.field().fieldId());
            System.out.println(LifecycleChangeReport.describe("demoted", t, change, target.statusCommand(t.model())));
        }
        return 0;
    }
}
