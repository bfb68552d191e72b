package io.stardust.cli;

import io.stardust.CompactionPlan;
import io.stardust.ModelDescription;
import io.stardust.StarDust;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compact:model", mixinStandardHelpOptions = true,
        description = {"Move a model's live filterable slots onto as few of its pages as their free indexed capacity",
                "allows, one field at a time (each a relocation a running Reconciler backfills; this command waits for",
                "each). --dry-run prints the plan and changes nothing. No smaller set of pages, or a relocation that",
                "fails or does not finish in time: exit 1 (fields moved before stay where they are)."})
final class CompactModelCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    ModelTarget target;

    @Option(names = "--dry-run", description = "Print the plan only; nothing is mutated.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            ModelDescription m = target.resolve(engine);
            CompactionPlan plan = engine.compactModel(target.tenant, m.modelId(), true);
            System.out.println("model '" + m.name() + "' (" + m.modelId() + "): " + plan.pagesBefore()
                    + " page(s) occupied, theoretical minimum " + plan.theoreticalMinPages());
            if (plan.isNoop()) {
                System.out.println("nothing to compact: " + plan.noopCount() + " slot(s) already on as few pages as they fit");
                return 0;
            }
            System.out.println("target pages " + plan.targetPageIds() + ": " + plan.relocations().size()
                    + " relocation(s), " + plan.noopCount() + " slot(s) stay");
            for (CompactionPlan.Relocation r : plan.relocations()) {
                System.out.println("  " + r.fieldName() + " (" + r.slotType() + "): page " + r.fromPageId() + " -> page "
                        + r.toPageId());
            }
            if (dryRun) {
                System.out.println("dry run: nothing was mutated");
                return 0;
            }
            CompactionPlan done = engine.compactModel(target.tenant, m.modelId(), false);
            System.out.println("compacted: " + done.relocations().size() + " field(s) relocated, pages after: "
                    + done.pagesAfter() + " " + done.targetPageIds());
        }
        return 0;
    }
}
