package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.StarDust;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.watcher.SpreadSampler;
import io.stardust.watcher.WatcherConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "spread:report", mixinStandardHelpOptions = true,
        description = {"How many pages each model's live filterable slots occupy against the theoretical minimum",
                "(the largest per-family ceil(slots / family capacity)); logs spread_sampled (trigger on_demand) and",
                "high_spread_model when the excess reaches spreadExcessPageThreshold. compact:model reduces it."})
final class SpreadReportCommand implements Callable<Integer> {
    private static final String ROW = "%-8s %-24s %-6s %-10s %-7s %s%n";

    @Mixin
    Connection connection;

    @Mixin
    ReportScope scope;

    @Override
    public Integer call() {
        WatcherConfig config = WatcherConfig.from(WatcherConfig.deployableDefinition().resolve(connection.configFile));
        try (StarDust engine = connection.open()) {
            ReportScope.Resolved where = scope.resolve(engine);
            List<SpreadSampler.Sample> samples = new SpreadSampler(engine.dataSource(), config.spreadExcessPageThreshold(),
                    new EventLog("registry")).sample("on_demand", where.tenantId(), where.modelId());
            System.out.println(scope.json ? Json.write(toJson(samples, where)) : toTable(samples, where));
        }
        return 0;
    }

    private static ObjectNode toJson(List<SpreadSampler.Sample> samples, ReportScope.Resolved where) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("models");
        for (SpreadSampler.Sample s : samples) {
            ObjectNode o = list.addObject();
            o.put("tenantId", s.tenantId());
            o.put("modelId", s.modelId());
            o.put("model", where.modelName(s.tenantId(), s.modelId()));
            o.put("pagesOccupied", s.pagesOccupied());
            o.put("theoreticalMinPages", s.theoreticalMinPages());
            o.put("excessPages", s.excessPages());
            o.put("liveSlots", s.liveSlotCount());
        }
        return root;
    }

    private static String toTable(List<SpreadSampler.Sample> samples, ReportScope.Resolved where) {
        if (samples.isEmpty()) {
            return "no model has a live filterable slot" + where.describe();
        }
        StringBuilder out = new StringBuilder(String.format(ROW, "TENANT", "MODEL", "PAGES", "MIN_PAGES", "EXCESS",
                "LIVE_SLOTS"));
        for (SpreadSampler.Sample s : samples) {
            out.append(String.format(ROW, s.tenantId(), where.modelName(s.tenantId(), s.modelId()), s.pagesOccupied(),
                    s.theoreticalMinPages(), s.excessPages(), s.liveSlotCount()));
        }
        return out.toString().stripTrailing();
    }
}
