package io.stardust.cli;

import io.stardust.FieldDescription;
import io.stardust.ModelDescription;
import io.stardust.ModelSummary;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import io.stardust.http.ModelJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model:describe", mixinStandardHelpOptions = true,
        description = "Show a model's fields with type, filterability, slot and slot state.")
final class ModelDescribeCommand implements Callable<Integer> {
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
            ModelDescription d = engine.describeModel(tenant, model.modelId()).orElseThrow();
            System.out.println(json ? Json.write(ModelJson.describe(d)) : toTable(d));
        }
        return 0;
    }

    private static String toTable(ModelDescription d) {
        StringBuilder out = new StringBuilder("model " + d.name() + " (id " + d.modelId() + ", tenant " + d.tenantId() + ")\n");
        out.append(String.format("%-24s %-9s %-10s %-8s %-12s %s%n", "FIELD", "TYPE", "FILTERABLE", "INDEXED", "SLOT", "STATE"));
        for (FieldDescription f : d.fields()) {
            String slot = f.slotColumn() == null ? "-" : "p" + f.pageId() + "." + f.slotColumn();
            out.append(String.format("%-24s %-9s %-10s %-8s %-12s %s%n", f.name(), f.declaredType().wireName(), f.isFilterable(),
                    f.isIndexed(), slot, f.slotStatus() == null ? (f.isFilterable() ? "unmapped" : "json-only") : f.slotStatus().wireName()));
        }
        return out.toString().stripTrailing();
    }
}
