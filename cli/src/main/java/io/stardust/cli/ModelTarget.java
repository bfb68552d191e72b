package io.stardust.cli;

import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldDescription;
import io.stardust.FieldNotFoundException;
import io.stardust.LifecycleCheckpoint;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelDescription;
import io.stardust.ModelSummary;
import io.stardust.StarDust;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code --tenant=T --model=NAME} of the lifecycle commands, resolved to the live model: an unknown name is a usage
 * error, a model being deleted is {@link ModelDeletionInProgressException}, both exit 2.
 */
final class ModelTarget {
    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "Model name (matched ignoring case and accents).")
    String model;

    ModelDescription resolve(StarDust engine) {
        ModelSummary summary = engine.findModel(tenant, model)
                .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + model + "'"));
        return engine.describeModel(tenant, summary.modelId()).orElseThrow(() -> new ModelDeletionInProgressException(
                "model '" + summary.name() + "' (" + summary.modelId() + ") of tenant " + tenant + " is being deleted"
                        + " (bin/stardust lifecycle:status --tenant=" + tenant + ")"));
    }

    /**
     * The model's field spelled exactly {@code name} (entry keys and lifecycle commands use the registered
     * spelling); a field being deleted is {@link FieldDeletionInProgressException}, any other miss
     * {@link FieldNotFoundException} listing the model's fields.
     */
    FieldDescription field(StarDust engine, ModelDescription m, String name) {
        return m.field(name).orElseThrow(() -> {
            boolean deleting = engine.lifecycleStatus(tenant, m.modelId()).stream()
                    .anyMatch(c -> c.operation() == LifecycleCheckpoint.Operation.DELETE_FIELD && name.equals(c.fieldName()));
            if (deleting) {
                return new FieldDeletionInProgressException("field '" + name + "' of model '" + m.name()
                        + "' is being deleted (bin/stardust lifecycle:status --tenant=" + tenant + " --model=" + m.name() + ")");
            }
            String known = m.fields().stream().map(FieldDescription::name).collect(Collectors.joining(", "));
            return new FieldNotFoundException("model '" + m.name() + "' of tenant " + tenant + " has no field '" + name
                    + "' (its fields: " + (known.isEmpty() ? "none" : known) + "; names are spelled as registered)");
        });
    }
}
