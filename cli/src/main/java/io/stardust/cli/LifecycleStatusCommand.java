package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.LifecycleCheckpoint;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lifecycle:status", mixinStandardHelpOptions = true,
        description = {"Every field-lifecycle checkpoint of a tenant (retype/promotion backfills and renames: running,",
                "completed or failed; deletions while they run or after they failed) with its progress: entries done",
                "of the model's entries, rows processed, cursor (last entry id), coercion nulls, state."})
final class LifecycleStatusCommand implements Callable<Integer> {
    private static final String ROW = "%-22s %-11s %-16s %-16s %-9s %-17s %9s %10s %6s  %s%n";

    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--model", paramLabel = "NAME", description = "Only this model (matched ignoring case and accents).")
    String model;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        try (StarDust engine = connection.open()) {
            Integer modelId = null;
            if (model != null) {
                // a model being deleted is still found by name, so its purge can be watched
                modelId = engine.findModel(tenant, model)
                        .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + model + "'"))
                        .modelId();
            }
            List<LifecycleCheckpoint> checkpoints = engine.lifecycleStatus(tenant, modelId);
            System.out.println(json ? Json.write(toJson(checkpoints)) : toTable(checkpoints));
        }
        return 0;
    }

    private ObjectNode toJson(List<LifecycleCheckpoint> checkpoints) {
        ObjectNode root = Json.object();
        root.put("tenantId", tenant);
        ArrayNode list = root.putArray("checkpoints");
        checkpoints.forEach(c -> list.add(LifecycleLabels.json(c)));
        return root;
    }

    private String toTable(List<LifecycleCheckpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return "no lifecycle checkpoints for tenant " + tenant + (model == null ? "" : " model '" + model + "'");
        }
        StringBuilder out = new StringBuilder(String.format(ROW, "JOB", "OPERATION", "MODEL", "FIELD", "STATE",
                "PROGRESS", "ROWS", "CURSOR", "NULLS", "DETAIL"));
        for (LifecycleCheckpoint c : checkpoints) {
            String progress = c.entriesDone() + "/" + c.entriesTotal() + " (" + c.percent() + "%)";
            out.append(String.format(ROW, c.jobName(), c.operation().wireName(), c.modelName(),
                    c.fieldName() == null ? "-" : c.fieldName(), c.status(), progress, c.rowsProcessed(),
                    c.lastProcessedId(), c.coercionNulls(), LifecycleLabels.label(c)));
        }
        return out.toString().stripTrailing();
    }
}
