package io.stardust.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.FieldDescription;
import io.stardust.LifecycleCheckpoint;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelDescription;
import io.stardust.ModelSummary;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import io.stardust.http.ModelJson;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model:describe", mixinStandardHelpOptions = true,
        description = {"Show a model's fields with type, filterability, slot, slot state and lifecycle state (a retype,",
                "promotion, rename or deletion that runs or failed, with its progress)."})
final class ModelDescribeCommand implements Callable<Integer> {
    private static final String ROW = "%-24s %-9s %-10s %-8s %-12s %-11s %s%n";

    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--name", required = true, description = "Model name.")
    String name;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            ModelSummary model = engine.findModel(tenant, name)
                    .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + name + "'"));
            ModelDescription d = engine.describeModel(tenant, model.modelId()).orElseThrow(
                    () -> new ModelDeletionInProgressException("model '" + model.name() + "' (" + model.modelId()
                            + ") of tenant " + tenant + " is being deleted (bin/stardust lifecycle:status --tenant="
                            + tenant + ")"));
            // only what still runs or failed: a completed checkpoint is history, lifecycle:status shows it
            List<LifecycleCheckpoint> active = engine.lifecycleStatus(tenant, d.modelId()).stream()
                    .filter(c -> !"completed".equals(c.status())).toList();
            System.out.println(json ? Json.write(toJson(d, active)) : toTable(d, active));
        }
        return 0;
    }

    private static ObjectNode toJson(ModelDescription d, List<LifecycleCheckpoint> active) {
        ObjectNode root = ModelJson.describe(d);
        for (JsonNode field : root.get("fields")) {
            long id = field.get("fieldId").asLong();
            ((ObjectNode) field).set("lifecycle", active.stream().filter(c -> c.fieldId() != null && c.fieldId() == id)
                    .findFirst().<JsonNode>map(LifecycleLabels::json).orElse(NullNode.getInstance()));
        }
        ArrayNode deleting = root.putArray("fieldsBeingDeleted");
        active.stream().filter(c -> c.operation() == LifecycleCheckpoint.Operation.DELETE_FIELD)
                .forEach(c -> deleting.add(LifecycleLabels.json(c)));
        return root;
    }

    private static String toTable(ModelDescription d, List<LifecycleCheckpoint> active) {
        StringBuilder out = new StringBuilder("model " + d.name() + " (id " + d.modelId() + ", tenant " + d.tenantId() + ")\n");
        out.append(String.format(ROW, "FIELD", "TYPE", "FILTERABLE", "INDEXED", "SLOT", "STATE", "LIFECYCLE"));
        for (FieldDescription f : d.fields()) {
            String slot = f.slotColumn() == null ? "-" : "p" + f.pageId() + "." + f.slotColumn();
            String lifecycle = active.stream().filter(c -> c.fieldId() != null && c.fieldId() == f.fieldId()).findFirst()
                    .map(LifecycleLabels::label).orElse("-");
            out.append(String.format(ROW, f.name(), f.declaredType().wireName(), f.isFilterable(), f.isIndexed(), slot,
                    f.slotStatus() == null ? (f.isFilterable() ? "unmapped" : "json-only") : f.slotStatus().wireName(),
                    lifecycle));
        }
        // deleted fields are gone from the model at once; their purge is still worth seeing here
        for (LifecycleCheckpoint c : active) {
            if (c.operation() == LifecycleCheckpoint.Operation.DELETE_FIELD) {
                out.append(String.format(ROW, c.fieldName(), "-", "-", "-", "-", "-", LifecycleLabels.label(c)));
            }
        }
        return out.toString().stripTrailing();
    }
}
