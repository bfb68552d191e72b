package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.StarDust;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.watcher.CardinalitySampler;
import io.stardust.watcher.WatcherConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "cardinality:report", mixinStandardHelpOptions = true,
        description = {"How selective each queryable slot's index is: the owning tenant's rows on the page, distinct",
                "values, selectivity (distinct/rows); logs cardinality_sampled (trigger on_demand) and",
                "low_cardinality_index when selectivity or distinct values fall below the cardinality* thresholds."})
final class CardinalityReportCommand implements Callable<Integer> {
    private static final String ROW = "%-8s %-20s %-20s %-14s %9s %9s %11s  %s%n";

    @Mixin
    Connection connection;

    @Mixin
    ReportScope scope;

    @Override
    public Integer call() {
        WatcherConfig config = WatcherConfig.from(WatcherConfig.deployableDefinition().resolve(connection.configFile));
        try (StarDust engine = connection.open()) {
            ReportScope.Resolved where = scope.resolve(engine);
            List<CardinalitySampler.Sample> samples = new CardinalitySampler(engine.dataSource(), config,
                    new EventLog("registry")).sampleOnDemand(where.tenantId(), where.modelId());
            System.out.println(scope.json ? Json.write(toJson(samples, where)) : toTable(samples, where));
        }
        return 0;
    }

    private static ObjectNode toJson(List<CardinalitySampler.Sample> samples, ReportScope.Resolved where) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("slots");
        for (CardinalitySampler.Sample s : samples) {
            ObjectNode o = list.addObject();
            o.put("tenantId", s.tenantId());
            o.put("modelId", s.modelId());
            o.put("model", where.modelName(s.tenantId(), s.modelId()));
            o.put("field", s.fieldName());
            o.put("slotAssignmentId", s.slotAssignmentId());
            o.put("pageId", s.pageId());
            o.put("slotColumn", s.slotColumn());
            o.put("rowCount", s.rowCount());
            o.put("distinctValues", s.distinctValues());
            o.put("selectivity", s.selectivity());
            ArrayNode violated = o.putArray("thresholdViolated");
            s.thresholdViolated().forEach(violated::add);
        }
        return root;
    }

    private static String toTable(List<CardinalitySampler.Sample> samples, ReportScope.Resolved where) {
        if (samples.isEmpty()) {
            return "no assigned or ready slot" + where.describe();
        }
        StringBuilder out = new StringBuilder(String.format(ROW, "TENANT", "MODEL", "FIELD", "SLOT", "ROWS", "DISTINCT",
                "SELECTIVITY", "WARNING"));
        for (CardinalitySampler.Sample s : samples) {
            out.append(String.format(ROW, s.tenantId(), where.modelName(s.tenantId(), s.modelId()), s.fieldName(),
                    "p" + s.pageId() + "." + s.slotColumn(), s.rowCount(), s.distinctValues(),
                    Json.formatDouble(s.selectivity()),
                    s.thresholdViolated().isEmpty() ? "-" : "low cardinality (" + String.join(",", s.thresholdViolated()) + ")"));
        }
        return out.toString().stripTrailing();
    }
}
