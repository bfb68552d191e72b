package io.stardust.cli;

import io.stardust.FieldDefinitionConflictException;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.ModelSummary;
import io.stardust.SlotAssignment;
import io.stardust.StarDust;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model:define", mixinStandardHelpOptions = true,
        description = {"Get-or-create a model and its fields. Re-running with the same definition changes nothing.",
                "Model and field names are matched ignoring case and accents (Company = cómpany = company).",
                "A field defined twice differently, or an existing field with another type, filterability or",
                "spelling, is refused (exit 2) and nothing is registered: model:define never changes a field; the",
                "message names the field:retype / field:promote / field:demote command that does. A model or field",
                "being deleted is refused (exit 2) until its purge ends."})
final class ModelDefineCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--name", required = true, description = "Model name (1..128 characters).")
    String name;

    @Option(names = "--field", paramLabel = "NAME:TYPE[:filterable]",
            description = "A field; TYPE is string, int, numeric or datetime. Repeatable.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--provision",
            description = "Also give every filterable field an indexed slot, provisioning as many pages as needed.")
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
            ModelDefinition def;
            try {
                def = engine.defineModel(tenant, name, specs);
            } catch (FieldDefinitionConflictException e) {
                throw new UsageException(conflict(e));
            }
            String registered = engine.findModel(tenant, name).map(ModelSummary::name).orElse(name);
            System.out.println("model " + registered + " id=" + def.modelId() + " fields=" + def.fieldIds());
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

    private String conflict(FieldDefinitionConflictException e) {
        FieldSpec existing = e.existing();
        FieldSpec requested = e.requested();
        if (!e.registered()) {
            return "--field=" + existing.text() + " and --field=" + requested.text() + " define one field twice, differently";
        }
        if (!existing.name().equals(requested.name())) {
            return "--field=" + requested.text() + ": model '" + e.modelName() + "' already has this field, spelled '"
                    + existing.name() + "' (field names are matched ignoring case and accents; entries must use the"
                    + " registered spelling)";
        }
        return "--field=" + requested.text() + ": field '" + existing.name() + "' of model '" + e.modelName()
                + "' already exists as " + existing.text() + "; model:define never changes a field, run: "
                + String.join(", then ", lifecycleCommands(e.modelName(), existing, requested));
    }

    /** The lifecycle commands that turn the registered field into the requested one, in the order to run them. */
    private List<String> lifecycleCommands(String modelName, FieldSpec existing, FieldSpec requested) {
        String target = " --tenant=" + tenant + " --model=" + quoted(modelName) + " --field=" + quoted(existing.name());
        List<String> commands = new ArrayList<>();
        if (existing.type() != requested.type()) {
            commands.add("bin/stardust field:retype" + target + " --type=" + requested.type().wireName());
        }
        if (existing.filterable() != requested.filterable()) {
            commands.add("bin/stardust field:" + (requested.filterable() ? "promote" : "demote") + target);
        }
        return commands;
    }

    /** A name as one shell word, so the command can be pasted as printed. */
    private static String quoted(String name) {
        return name.matches("[A-Za-z0-9_.,:@%+-]+") ? name : "'" + name.replace("'", "'\\''") + "'";
    }
}
