package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.json.Json;
import io.stardust.gateway.GatewayConfig;
import io.stardust.ingest.dlq.DlqFilter;
import io.stardust.ingest.dlq.DlqRow;
import io.stardust.ingest.dlq.IngestDlqStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stardust ingest:dlq:list}: quarantined records, oldest first; a table for people or JSON for scripts. */
@Command(name = "ingest:dlq:list", mixinStandardHelpOptions = true,
        description = {"List records the ingest gateway quarantined (stardust_ingest_dlq), oldest first. Read-only.",
                "--id wins; otherwise --tenant, --reason and --older-than combine. ATTEMPTS counts the tries, the first included.",
                "Reasons: the reason codes of ingest-gateway/README.md (not_json, unknown_model, uncoercible_value, ...)."})
final class IngestDlqListCommand implements Callable<Integer> {
    @Mixin
    DlqOptions options;
    @Mixin
    DlqListOptions output;
    @Option(names = "--show-value", description = "Also print each record's key and value (UTF-8; in the table cut at 200"
            + " characters; with length and SHA-256 when the DLQ holds only part of it).")
    boolean showValue;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        DlqFilter filter = IngestDlqReplayCommand.filter(options, spec.commandLine().getErr(), spec.name(), output.limit);
        StarDustConfig config = StarDustConfig.from(GatewayConfig.definition().resolve(options.configFile));
        List<DlqRow> rows;
        try (HikariDataSource ds = DlqOptions.open(config); Connection c = ds.getConnection()) {
            rows = IngestDlqStore.select(c, filter, new UtcClock(Clock.systemUTC()).now(), false);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.format == DlqListOptions.Format.json) {
            out.println(json(rows));
        } else {
            table(out, rows);
        }
        out.flush();
        return 0;
    }

    private void table(PrintWriter out, List<DlqRow> rows) {
        // An empty DLQ is a fine answer, not an error: the header alone says "nothing quarantined".
        out.printf("%-8s %-24s %-8s %-32s %-8s %-19s %s%n", "ID", "REASON", "TENANT", "SOURCE (topic/partition@offset)",
                "ATTEMPTS", "RECEIVED (UTC)", "MESSAGE");
        for (DlqRow r : rows) {
            out.printf("%-8d %-24s %-8s %-32s %-8d %-19s %s%n", r.id(), r.reason(),
                    r.tenantId() == null ? "-" : r.tenantId().toString(), r.topic() + "/" + r.partition() + "@" + r.offset(),
                    r.attemptCount(), r.receivedAt().withNano(0).toString().replace('T', ' '), oneLine(r.errorMessage(), 120));
            if (showValue) {
                out.println("         key:   " + part(r.recordKey(), r.originalKeyBytes(), r.originalKeySha256(), "none"));
                out.println("         value: " + part(r.recordValue(), r.originalValueBytes(), r.originalValueSha256(),
                        "null: tombstone"));
            }
        }
    }

    private String json(List<DlqRow> rows) {
        ObjectNode root = Json.object();
        ArrayNode array = root.putArray("rows");
        for (DlqRow r : rows) {
            ObjectNode o = array.addObject();
            o.put("id", r.id());
            o.put("reason", r.reason());
            o.put("tenant_id", r.tenantId());
            o.put("source_topic", r.topic());
            o.put("source_partition", r.partition());
            o.put("source_offset", r.offset());
            o.put("attempt_count", r.attemptCount());
            o.put("received_at", r.receivedAt().toString().replace('T', ' '));
            o.put("error_message", r.errorMessage());
            o.put("key_bytes", r.originalKeyBytes());
            o.put("key_sha256", r.originalKeySha256());
            o.put("value_bytes", r.originalValueBytes());
            o.put("value_sha256", r.originalValueSha256());
            if (showValue) {
                // what the DLQ holds, which is all of the part when key_bytes/value_bytes equal its length
                o.put("key", r.recordKey() == null ? null : new String(r.recordKey(), StandardCharsets.UTF_8));
                o.put("value", r.recordValue() == null ? null : new String(r.recordValue(), StandardCharsets.UTF_8));
            }
        }
        return Json.write(root);
    }

    /** A stored key or value as text (UTF-8, cut at 200 characters), and its size when the DLQ holds less than all of it. */
    private static String part(byte[] stored, Integer original, String sha256, String absent) {
        if (original == null) {
            return "(" + absent + ")";
        }
        String text = stored == null ? "" : oneLine(new String(stored, StandardCharsets.UTF_8), 200);
        if (stored != null && stored.length == original) {
            return text;
        }
        return "(" + original + " bytes, sha256 " + sha256 + "; the DLQ holds " + (stored == null ? "none" : "the first "
                + stored.length) + ") " + text;
    }

    static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max) + "...";
    }
}
