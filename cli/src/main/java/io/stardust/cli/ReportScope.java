package io.stardust.cli;

import io.stardust.ModelSummary;
import io.stardust.StarDust;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code [--tenant=T] [--model=NAME] [--json]} of the advisory reports: everything, one tenant, or one model of a
 * tenant (a model name means nothing without its tenant).
 */
final class ReportScope {
    @Option(names = "--tenant", paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Only this tenant (a positive integer).")
    Long tenant;

    @Option(names = "--model", paramLabel = "NAME", description = "Only this model of --tenant (matched ignoring case and accents).")
    String model;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** The filters and the model names of the tenants reported on. */
    record Resolved(Long tenantId, Integer modelId, StarDust engine, Map<Long, Map<Integer, String>> names) {
        String modelName(long tenant, int modelId) {
            String name = names.computeIfAbsent(tenant, t -> {
                Map<Integer, String> byId = new HashMap<>();
                engine.listModels(t).forEach(m -> byId.put(m.modelId(), m.name()));
                return byId;
            }).get(modelId);
            return name == null ? "#" + modelId : name;
        }

        String describe() {
            return tenantId == null ? "" : " (tenant " + tenantId + (modelId == null ? "" : ", model " + modelId) + ")";
        }
    }

    Resolved resolve(StarDust engine) {
        Integer modelId = null;
        if (model != null) {
            if (tenant == null) {
                throw new UsageException("--model needs --tenant (model names are per tenant)");
            }
            modelId = engine.findModel(tenant, model).map(ModelSummary::modelId)
                    .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + model + "'"));
        }
        return new Resolved(tenant, modelId, engine, new HashMap<>());
    }
}
