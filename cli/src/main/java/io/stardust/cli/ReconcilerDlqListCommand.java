package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.json.Json;
import io.stardust.reconciler.DlqEntry;
import io.stardust.reconciler.DlqFilter;
import io.stardust.reconciler.DlqLister;
import io.stardust.reconciler.ReconcilerConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Shows DLQ rows, oldest first, filtered; a table for people or JSON for scripts. Read-only. */
@Command(name = "reconciler:dlq:list", mixinStandardHelpOptions = true,
        description = {"List stardust_reconciler_dlq rows, oldest first. Read-only.",
                "--id wins; otherwise --tenant, --reason and --older-than combine. ATTEMPTS is how often the entry was replayed.",
                "Reasons: missing_entry_data, schema_incompatibility, malformed_json, other."})
final class ReconcilerDlqListCommand implements Callable<Integer> {
    private static final int MESSAGE_WIDTH = 60;

    @Mixin
    DlqOptions options;
    @Mixin
    DlqListOptions output;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DlqFilter filter = ReconcilerDlqReplayCommand.filter(options, spec.commandLine().getErr(), spec.name(), output.limit);
        StarDustConfig config = StarDustConfig.from(ReconcilerConfig.deployableDefinition().resolve(options.configFile));
        try (HikariDataSource ds = DlqOptions.open(config)) {
            DlqLister.Listing listing = new DlqLister(ds, new UtcClock(Clock.systemUTC())).list(filter);
            PrintWriter out = spec.commandLine().getOut();
            out.println(output.format == DlqListOptions.Format.json ? json(listing) : table(listing));
            out.flush();
        }
        return 0;
    }

    private static String json(DlqLister.Listing listing) {
        ObjectNode root = Json.object();
        root.put("total", listing.total());
        ArrayNode rows = root.putArray("rows");
        for (DlqEntry e : listing.rows()) {
            ObjectNode o = rows.addObject();
            o.put("id", e.id());
            o.put("source", e.source());
            if (e.entryId() == null) {
                o.putNull("entry_id");
            } else {
                o.put("entry_id", e.entryId());
            }
            o.put("tenant_id", e.tenantId());
            o.put("model_id", e.modelId());
            o.put("reason", e.reason());
            o.put("retry_count", e.retryCount());
            o.put("failed_at", e.failedAt() == null ? null : e.failedAt().toString().replace('T', ' '));
            o.put("chunk_correlation_id", e.chunkCorrelationId());
            o.put("error_message", e.errorMessage());
        }
        return Json.write(root);
    }

    private static String table(DlqLister.Listing listing) {
        String fmt = "%-8s %-11s %-10s %-8s %-6s %-22s %-8s %-19s %s%n";
        StringBuilder out = new StringBuilder(String.format(fmt, "ID", "SOURCE", "ENTRY", "TENANT", "MODEL", "REASON",
                "ATTEMPTS", "FAILED_AT", "MESSAGE"));
        for (DlqEntry e : listing.rows()) {
            out.append(String.format(fmt, e.id(), e.source(), e.entryId() == null ? "-" : e.entryId(), e.tenantId(),
                    e.modelId(), e.reason(), e.retryCount(),
                    e.failedAt() == null ? "-" : e.failedAt().toString().replace('T', ' '), shorten(e.errorMessage())));
        }
        out.append(listing.rows().size()).append(" of ").append(listing.total()).append(" matching row(s)");
        return out.toString();
    }

    private static String shorten(String message) {
        if (message == null) {
            return "";
        }
        String one = message.replaceAll("\\s+", " ").trim();
        return one.length() <= MESSAGE_WIDTH ? one : one.substring(0, MESSAGE_WIDTH - 3) + "...";
    }
}
