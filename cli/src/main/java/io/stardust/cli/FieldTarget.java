package io.stardust.cli;

import io.stardust.FieldDescription;
import io.stardust.ModelDescription;
import io.stardust.StarDust;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --tenant=T --model=NAME --field=NAME} of the field lifecycle commands. */
final class FieldTarget {
    @Mixin
    ModelTarget model;

    @Option(names = "--field", required = true, paramLabel = "NAME", description = "Field name, spelled as registered.")
    String field;

    record Resolved(ModelDescription model, FieldDescription field) {
        /** {@code company.name}, how the commands' output names a field. */
        String label() {
            return model.name() + "." + field.name();
        }
    }

    Resolved resolve(StarDust engine) {
        ModelDescription m = model.resolve(engine);
        return new Resolved(m, model.field(engine, m, field));
    }

    long tenant() {
        return model.tenant;
    }

    /** The command that shows this model's lifecycle progress. */
    String statusCommand(ModelDescription m) {
        return "bin/stardust lifecycle:status --tenant=" + model.tenant + " --model=" + m.name();
    }
}
