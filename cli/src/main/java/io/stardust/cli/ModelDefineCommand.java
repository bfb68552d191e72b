package io.stardust.cli;

import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.SlotAssignment;
import io.stardust.StarDust;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model:define", mixinStandardHelpOptions = true,
        description = "Get-or-create a model and its fields. Re-running with the same definition changes nothing.")
final class ModelDefineCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, description = "Tenant id (>= 1).")
    long tenant;

    @Option(names = "--name", required = true, description = "Model name.")
    String name;

    @Option(names = "--field", paramLabel = "NAME:TYPE[:filterable]",
            description = "A field; TYPE is string, int, numeric or datetime. Repeatable.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--provision", description = "Also give every filterable field an indexed slot, provisioning a page if needed.")
    boolean provision;

    @Override
    public Integer call() {
        List<FieldSpec> specs = new ArrayList<>();
        for (String f : fields) {
            try {
                specs.add(FieldSpec.parse(f));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        try (StarDust engine = connection.open()) {
            ModelDefinition def = engine.defineModel(tenant, name, specs);
            System.out.println("model " + name + " id=" + def.modelId() + " fields=" + def.fieldIds());
            if (provision) {
                List<SlotAssignment> reserved = engine.ensureSlots(tenant, def.modelId());
                for (SlotAssignment s : reserved) {
                    System.out.println("reserved page " + s.pageId() + " " + s.slotColumn());
                }
                if (reserved.isEmpty()) {
                    System.out.println("every filterable field already holds a slot");
                }
            }
        }
        return 0;
    }
}
